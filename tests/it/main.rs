//! The integration tests, one crate: each module is one area of the contract.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

mod acceptance;
mod agreement;
mod bad_input;
mod cli;
mod clients;
mod dns_policy;
mod escaping;
mod estate;
mod findings;
mod hostile;
mod landing_zone;
mod microsoft;
mod snapshots;
mod terminal;
mod wizard;
