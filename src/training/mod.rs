//! Training mode's material: the curriculum of fictional cases trainers teach from, and the
//! seeded training database made of it.

pub mod curriculum;
pub mod lesson;
pub mod seed;
