//! Azure Resource Manager private link questions.

use super::*;

pub(super) fn resource_manager(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    const BASE: &str = "/resourceManagerPrivateLink";
    if !change && st.is_given(BASE) {
        return Ok(());
    }
    let wanted = p.confirm(
        &Question {
            key: "resourceManagerPrivateLink",
            message: "Also generate Azure Resource Manager private link (a separate, tenant-wide template)?",
            help: "It associates a private link at the tenant root management group; needs Owner there and affects every subscription",
        },
        st.get(BASE).is_some_and(|v| !v.is_null()),
    )?;
    if !wanted {
        st.put(BASE, Value::Null);
        return Ok(());
    }
    let current = st
        .get(BASE)
        .cloned()
        .filter(|v| v.is_object())
        .unwrap_or_else(|| json!({}));
    let mg_ptr = format!("{BASE}/managementGroupId");
    let mg = p.text(
        &Question {
            key: "resourceManagerPrivateLink.managementGroupId",
            message: "Tenant root management group ID (the tenant ID)",
            help: "az account show --query tenantId -o tsv",
        },
        current.get("managementGroupId").and_then(Value::as_str),
        all_of(vec![
            schema_check(&mg_ptr),
            Arc::new(|s: &str| refused(fields::root_management_group(s.trim()))),
        ]),
    )?;
    let subnet_ptr = format!("{BASE}/existingSubnetId");
    let subnet = p.text(
        &Question {
            key: "resourceManagerPrivateLink.existingSubnetId",
            message: "Subnet for the Resource Manager private endpoint (resource ID)",
            help: "Usually the hub's private-endpoint subnet; the private link resource goes in its resource group",
        },
        current.get("existingSubnetId").and_then(Value::as_str),
        subnet_id_check(&subnet_ptr),
    )?;
    let account = st.get_str("/mediaServices/name").unwrap_or_default();
    let name_ptr = format!("{BASE}/name");
    let name = p.text(
        &Question {
            key: "resourceManagerPrivateLink.name",
            message: "Name of the private link resource",
            help: "2-64 letters, digits, _ . -",
        },
        Some(
            current
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(&format!("rmpl-{account}")),
        ),
        schema_check(&name_ptr),
    )?;
    let top = st.get_str("/location");
    let needs_location = top.is_none();
    let location = p.text(
        &Question {
            key: "resourceManagerPrivateLink.location",
            message: "Region of that subnet's VNet",
            help: "The template runs at management-group scope, which has no resource group region to default to",
        },
        current.get("location").and_then(Value::as_str).or(top.as_deref()),
        Arc::new(move |s: &str| {
            if s.trim().is_empty() && needs_location {
                return Err("enter the region, e.g. westeurope".into());
            }
            if s.trim().is_empty() {
                return Ok(());
            }
            schema::check_value("/resourceManagerPrivateLink/location", &json!(s.trim()))
        }),
    )?;
    let mut entry = json!({"managementGroupId": mg.trim(), "existingSubnetId": subnet.trim(), "name": name.trim()});
    if !location.trim().is_empty() {
        entry["location"] = json!(location.trim());
    }
    st.put(BASE, entry);
    Ok(())
}
