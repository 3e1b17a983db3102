//! Storage account questions.

use super::*;

/// `contosomedia` → `contosomediastore`, kept within the storage name limits.
pub(super) fn derived_storage_name(account: &str) -> String {
    let mut name: String = format!("{account}store")
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        .collect();
    name.truncate(24);
    name
}

pub(super) fn storage(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    let account = st.get_str("/mediaServices/name").unwrap_or_default();
    text(
        p,
        st,
        "/storage/name",
        Ask {
            message: "Storage account name",
            help: "3-24 lowercase letters and digits, unique across Azure; holds the media assets",
        },
        Some(derived_storage_name(&account)),
        schema_check("/storage/name"),
        change,
    )?;
    let skus = enum_options("/storage/sku");
    let options: Vec<(&str, &str)> = skus.iter().map(|o| (o.as_str(), "")).collect();
    choice(
        p,
        st,
        "/storage/sku",
        Ask {
            message: "Storage replication",
            help: "Geo-redundant SKUs keep a copy in the paired region",
        },
        &options,
        change,
    )?;
    if change || !st.is_given("/storage/privateEndpoints") {
        let options = enum_options("/storage/privateEndpoints");
        let current: Vec<String> = st
            .list("/storage/privateEndpoints")
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        let chosen = pick_many(
            p,
            &Question {
                key: "storage.privateEndpoints",
                message: "Storage sub-resources that get a private endpoint",
                help: "Media Services itself reaches storage as a trusted service; these are for your clients (uploads, tools)",
            },
            &options,
            &current,
        )?;
        st.put("/storage/privateEndpoints", json!(chosen));
    }
    // The foundation alone has no public storage endpoint by default: nothing to let through.
    if !st.media() && st.get_str("/storage/publicNetworkAccess").as_deref() != Some("Enabled") {
        // Rules the values gave stay, and are refused with the reason at the summary.
        if !st.is_given("/storage/ipRules") {
            st.remove("/storage/ipRules");
        }
        return Ok(());
    }
    list(
        p,
        st,
        "/storage/ipRules",
        Ask {
            message: "Public IPv4 addresses let through the storage firewall (empty: none)",
            help: "The firewall denies everything else; clients inside your VNets use the private endpoints",
        },
        storage_rules_check(),
        change,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_storage_name_is_derived_within_the_rules() {
        assert_eq!(derived_storage_name("contosomedia"), "contosomediastore");
        assert_eq!(
            derived_storage_name("abcdefghijklmnopqrstuvwx"),
            "abcdefghijklmnopqrstuvwx"
        );
    }
}
