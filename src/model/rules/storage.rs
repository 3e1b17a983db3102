//! The storage account: its firewall rules.

use super::*;

/// The firewall's rules, normalised; each bad one is a problem at its index.
pub(super) fn check_storage_firewall(c: &mut Checker, values: &Values) -> Vec<String> {
    let mut ip_rules = Vec::new();
    for (i, rule) in values.storage.ip_rules.iter().enumerate() {
        match network::parse_storage_rule(rule) {
            Ok(r) => ip_rules.push(r),
            Err((message, hint)) => c.fail(&format!("/storage/ipRules/{i}"), message, hint),
        }
    }
    ip_rules
}
