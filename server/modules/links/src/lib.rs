//! The links context — mibio's product: pages built from smart blocks, the coach templates, the
//! cached public read path behind `/{slug}`, and lead capture.

pub mod domain;
