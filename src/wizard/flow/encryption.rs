//! Customer-managed key questions.

use super::*;

pub(super) fn encryption(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    const BASE: &str = "/mediaServices/encryption";
    if !change && st.is_given(&format!("{BASE}/type")) {
        return Ok(());
    }
    let current = st.get_str(&format!("{BASE}/type")).as_deref() == Some("customerKey");
    let wanted = p.confirm(
        &Question {
            key: "mediaServices.encryption.type",
            message: "Encrypt the account with your own key (customer-managed, in Key Vault)?",
            help: "Your RSA key wraps the account key; if the key or access to it is lost, the account becomes read-only",
        },
        current,
    )?;
    if !wanted {
        st.put(BASE, json!({"type": "systemKey"}));
        return Ok(());
    }
    if st.get_str("/mediaServices/identity").as_deref() != Some("userAssigned") {
        let switch = p.confirm(
            &Question {
                key: "mediaServices.identity.switch",
                message: "A customer-managed key needs a user-assigned identity. Switch to userAssigned?",
                help: "The identity must hold the key role before the account exists; a system-assigned identity cannot",
            },
            true,
        )?;
        if !switch {
            st.put(BASE, json!({"type": "systemKey"}));
            return Ok(());
        }
        st.put("/mediaServices/identity", json!("userAssigned"));
    }
    let existing_now = st.get(&format!("{BASE}/existingKey")).is_some();
    let kind = p.select(
        &Question {
            key: "mediaServices.encryption.vault",
            message: "Where is the key?",
            help: "A new vault is created with purge protection, RBAC and no public access, plus a private endpoint",
        },
        &[
            "new — a Key Vault created here, with the key".to_owned(),
            "existing — a key in a vault that already exists".to_owned(),
        ],
        usize::from(existing_now),
    )?;
    let account = st.get_str("/mediaServices/name").unwrap_or_default();
    let rsa_options = [
        ("RSA-HSM", "kept in an HSM (premium vault)"),
        ("RSA", "software-protected"),
    ];
    if kind == 0 {
        let mut default_name = format!("kv-{account}");
        default_name.truncate(24);
        let vault = st
            .get(&format!("{BASE}/keyVault"))
            .cloned()
            .unwrap_or_else(|| json!({}));
        let name_ptr = format!("{BASE}/keyVault/name");
        let name = p.text(
            &Question {
                key: "mediaServices.encryption.keyVault.name",
                message: "Key Vault name",
                help: "3-24 letters, digits and hyphens, globally unique; starts with a letter",
            },
            Some(
                vault
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or(&default_name),
            ),
            all_of(vec![
                schema_check(&name_ptr),
                Arc::new(|s: &str| refused(fields::key_vault_name(s.trim()))),
            ]),
        )?;
        st.put(
            BASE,
            json!({"type": "customerKey", "keyVault": {"name": name.trim()}}),
        );
        text(
            p,
            st,
            &format!("{BASE}/keyVault/keyName"),
            Ask {
                message: "Key name",
                help: "The RSA key created in the vault",
            },
            None,
            schema_check(&format!("{BASE}/keyVault/keyName")),
            true,
        )?;
        choice(
            p,
            st,
            &format!("{BASE}/keyVault/keyType"),
            Ask {
                message: "Key protection",
                help: "Media Services accepts RSA keys only",
            },
            &rsa_options,
            true,
        )?;
        let sizes = ["3072", "2048", "4096"];
        let size = p.select(
            &Question {
                key: "mediaServices.encryption.keyVault.keySize",
                message: "Key size (bits)",
                help: "3072 is the current recommendation for RSA",
            },
            &sizes.map(str::to_owned),
            0,
        )?;
        st.put(
            &format!("{BASE}/keyVault/keySize"),
            json!(picked(&sizes, size)?.parse::<u32>().unwrap_or(3072)),
        );
    } else {
        let id_ptr = format!("{BASE}/existingKey/vaultId");
        let current = st.get_str(&id_ptr);
        let id = p.text(
            &Question {
                key: "mediaServices.encryption.existingKey.vaultId",
                message: "Key Vault resource ID",
                help: "az keyvault show -n <vault> --query id -o tsv; it must use RBAC authorization and purge protection",
            },
            current.as_deref(),
            schema_check(&id_ptr),
        )?;
        let key_ptr = format!("{BASE}/existingKey/keyName");
        let key = p.text(
            &Question {
                key: "mediaServices.encryption.existingKey.keyName",
                message: "Key name",
                help: "An RSA key in that vault; its newest version is used",
            },
            st.get_str(&key_ptr).as_deref(),
            schema_check(&key_ptr),
        )?;
        st.put(BASE, json!({"type": "customerKey", "existingKey": {"vaultId": id.trim(), "keyName": key.trim()}}));
        choice(
            p,
            st,
            &format!("{BASE}/existingKey/keyType"),
            Ask {
                message: "Key protection",
                help: "Media Services accepts RSA keys only",
            },
            &rsa_options,
            true,
        )?;
        let account_location = st.get_str("/location");
        let loc_ptr = format!("{BASE}/existingKey/location");
        let region_check: Check = Arc::new(move |s: &str| {
            refused(fields::vault_region(account_location.as_deref(), s.trim()))
        });
        text(
            p,
            st,
            &loc_ptr,
            Ask {
                message: "Region of that vault (empty: not checked)",
                help: "It must be the account's region",
            },
            st.get_str("/location"),
            all_of(vec![optional(schema_check(&loc_ptr)), region_check]),
            true,
        )?;
    }
    Ok(())
}
