//! Password hashes: argon2id with the argon2 crate's defaults (19 MiB, 2 passes, 1 lane, the
//! OWASP minimum), stored in PHC string form so the parameters travel with each hash.

use crate::WebError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use recount_store::accounts::{Role, UserId};
use std::path::Path;

/// The shortest password `add_user` accepts.
pub const MIN_PASSWORD_CHARS: usize = 10;

pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the operating system's random source works");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt length");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters hashes any password")
        .to_string()
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Creates the account `name` with `role` in the project database at `db_path`.
/// A short password or a taken name is an error worded for the user.
pub fn add_user(
    db_path: &Path,
    name: &str,
    role: Role,
    password: &str,
) -> Result<UserId, WebError> {
    let name = name.trim();
    if name.is_empty() || name.chars().any(char::is_control) || name.chars().count() > 64 {
        return Err(WebError::Account(
            "a user name is 1 to 64 printable characters".into(),
        ));
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(WebError::Account(format!(
            "the password must have at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    let mut store = recount_store::Store::open(db_path).map_err(|source| WebError::Database {
        path: db_path.to_owned(),
        source,
    })?;
    if store
        .user_by_name(name)
        .map_err(|source| WebError::Database {
            path: db_path.to_owned(),
            source,
        })?
        .is_some()
    {
        return Err(WebError::Account(format!(
            "a user named '{name}' already exists"
        )));
    }
    let hash = hash_password(password);
    let id = store
        .add_user(name, role, &hash)
        .map_err(|source| WebError::Database {
            path: db_path.to_owned(),
            source,
        })?;
    store
        .append_audit(
            None,
            "user.add",
            &format!("user {} with role {}", id.0, role.as_str()),
        )
        .map_err(|source| WebError::Database {
            path: db_path.to_owned(),
            source,
        })?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash_password("correct horse battery");
        let b = hash_password("correct horse battery");
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify_password("correct horse battery", &a));
        assert!(!verify_password("correct horse batterz", &a));
        assert!(!verify_password("anything", "not a hash"));
    }
}
