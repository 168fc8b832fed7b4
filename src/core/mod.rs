//! The pure domain core: identity numbers, names, application numbers, registration types and
//! statuses. Nothing here does IO or knows about the terminal or the database.

pub mod application_number;
pub mod collation;
pub mod iin;
pub mod key_wrap;
pub mod lockout;
pub mod lookup_query;
pub mod password;
pub mod person_name;
pub mod registration;
pub mod roles;

pub use application_number::ApplicationNumber;
pub use iin::{Bin, Iin, IinError, IinWarning};
pub use lookup_query::{LookupQuery, masked_iin};
pub use person_name::{NameError, PersonName, search_key};
pub use registration::{ApplicationStatus, RegistrationType, StatusChangeError};
pub use roles::{Permission, Role};

/// Sex as encoded in the IIN and recorded at intake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}
