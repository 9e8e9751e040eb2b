DROP TABLE links.deleted_blocks;
