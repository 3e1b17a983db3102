//! Account questions (location, tags, name, identity, TLS) and the access model.

use super::*;

pub(super) fn account(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    deploy_media(p, st, change)?;
    text(
        p,
        st,
        "/location",
        Ask {
            message: "Azure region (empty: the resource group's region)",
            help: "Every resource is created here, except private endpoints in existing VNets, which follow their VNet",
        },
        None,
        optional(schema_check("/location")),
        change,
    )?;
    if change || !st.is_given("/tags") {
        let current: Vec<String> = st
            .get("/tags")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default();
        let check: Check = Arc::new(|s: &str| parse_tags(s).map(|_| ()));
        let answer = p.text(
            &Question {
                key: "tags",
                message: "Tags (name=value, name=value)",
                help: "Put on every resource; policies and cost reports usually rely on them",
            },
            Some(&current.join("; ")),
            check,
        )?;
        st.put(
            "/tags",
            Value::Object(parse_tags(&answer).unwrap_or_default()),
        );
    }
    text(
        p,
        st,
        "/mediaServices/name",
        Ask {
            message: "Media Services account name",
            help: "3-24 lowercase letters and digits, unique in the region; endpoint names are derived from it",
        },
        None,
        schema_check("/mediaServices/name"),
        change,
    )?;
    if st.media() {
        identity_and_tls(p, st, change)?;
    }
    Ok(())
}

/// The account's own settings, asked only when it is deployed.
fn identity_and_tls(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    choice(
        p,
        st,
        "/mediaServices/identity",
        Ask {
            message: "Identity the account uses to reach its storage",
            help: "With the storage firewall on, Media Services gets in only as a trusted service with a managed identity",
        },
        &[
            ("userAssigned", "created and granted its roles first: one deployment (recommended)"),
            ("systemAssigned", "exists only after the account: needs a second deployment"),
        ],
        change,
    )?;
    choice(
        p,
        st,
        "/mediaServices/minimumTlsVersion",
        Ask {
            message: "Minimum TLS version",
            help:
                "Older clients that cannot do TLS 1.2 should not be talking to your media endpoints",
        },
        &[("Tls12", ""), ("Tls13", "")],
        change,
    )
}

/// Asked first: whether the account is deployed at all, which decides every Media Services
/// question after it. The foundation is the default: public Azure creates no new accounts.
fn deploy_media(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    const POINTER: &str = "/mediaServices/deploy";
    if !change && st.is_given(POINTER) {
        return Ok(());
    }
    let current = change && st.media();
    let deploy = p.confirm(
        &Question {
            key: "mediaServices.deploy",
            message: "Media Services was retired on 30 June 2024 and public Azure creates no new accounts. Deploy the account too, not only the private foundation?",
            help: "The foundation is the storage account, the identity, the key vault, the VNets, DNS and their private endpoints: it deploys today. No skips every Media Services question; the templates keep its parts behind the deployMediaServices switch",
        },
        current,
    )?;
    st.put(POINTER, json!(deploy));
    Ok(())
}

pub(super) fn parse_tags(s: &str) -> std::result::Result<Map<String, Value>, String> {
    let mut tags = Map::new();
    // `;` between pairs, or `,` when there is no `;` (every other list prompt uses commas), so
    // `owner=media, video; env=prod` keeps its comma. Every piece is a pair: one without `=` is
    // refused wherever it is, never glued to the value before it (`env=prod;owner` would tag
    // env with "prod;owner").
    let separator = if s.contains(';') { ';' } else { ',' };
    for piece in s.split(separator) {
        let trimmed = piece.trim();
        if trimmed.is_empty() {
            continue;
        }
        let Some((k, v)) = trimmed.split_once('=') else {
            return Err(format!(
                "`{trimmed}` has no `=`: write every tag as name=value, separated by ; (or , when no value holds a comma)"
            ));
        };
        if v.contains('=') {
            return Err(format!(
                "`{trimmed}` has two `=`; write name=value pairs separated by ; or ,"
            ));
        }
        tags.insert(k.trim().to_owned(), json!(v.trim()));
    }
    schema::check_value("/tags", &Value::Object(tags.clone()))?;
    Ok(tags)
}

pub(super) fn access(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    choice(
        p,
        st,
        "/mediaServices/publicNetworkAccess",
        Ask {
            message: "Public network access to the account",
            help: "A private endpoint does not turn off internet access; this setting (or the allowlists) does",
        },
        &[
            ("Disabled", "private endpoints only (recommended)"),
            ("Enabled", "public, restricted per resource by IP allowlists"),
        ],
        change,
    )?;
    if !st.is_public() {
        return Ok(());
    }
    choice(
        p,
        st,
        "/mediaServices/keyDelivery/defaultAction",
        Ask {
            message: "Key delivery from the internet",
            help:
                "Key delivery hands out content keys; Allow lets any internet address ask for them",
        },
        &[
            ("Deny", "only the addresses you list"),
            ("Allow", "any address"),
        ],
        change,
    )?;
    if st
        .get_str("/mediaServices/keyDelivery/defaultAction")
        .as_deref()
        == Some("Deny")
    {
        list(
            p,
            st,
            "/mediaServices/keyDelivery/ipAllowList",
            Ask {
                message: "Addresses allowed to reach key delivery (empty: none)",
                help: "Public IPv4/IPv6 addresses or CIDR ranges, e.g. your licence front door; separate with commas",
            },
            allowlist_check(),
            change,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_parse_and_follow_the_schema() {
        let tags = parse_tags("env=prod; owner = media team").unwrap();
        assert_eq!(tags["owner"], "media team");
        assert!(parse_tags("novalue").is_err());
        // Commas separate pairs like every other list prompt; a comma inside a value stays.
        let both = parse_tags("env=prod, owner=platform").unwrap();
        assert_eq!(
            (both["env"].as_str(), both["owner"].as_str()),
            (Some("prod"), Some("platform"))
        );
        // With `;` between pairs a comma stays in its value.
        let kept = parse_tags("owner=media, video; env=prod").unwrap();
        assert_eq!(kept["owner"], "media, video");
        // A piece without `=` is refused wherever it stands, never glued to a value.
        for glued in ["env=prod;owner", "owner, env=prod", "env=prod, owner"] {
            let refused = parse_tags(glued).unwrap_err();
            assert!(refused.contains("has no `=`"), "{glued}: {refused}");
        }
        assert!(parse_tags("a=b=c").is_err());
        assert!(parse_tags("bad/name=x").is_err());
    }
}
