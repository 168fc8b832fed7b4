//! Training mode's material: the curriculum of fictional cases trainers teach from.

pub mod curriculum;
