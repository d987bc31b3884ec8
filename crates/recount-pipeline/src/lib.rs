//! The pipeline's named steps over a project database.
