DROP SCHEMA feature_flags CASCADE;
