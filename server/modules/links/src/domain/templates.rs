//! placeholder: the template registry (being written).
