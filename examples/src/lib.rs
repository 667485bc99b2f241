//! Shared setup for the runnable examples: a client from environment variables
//! ([`cliq_runtime::env`], re-exported here; its docs list the variables).
#![deny(missing_docs)]

pub use cliq_runtime::env::{client_from_env, client_from_lookup, EnvError};
