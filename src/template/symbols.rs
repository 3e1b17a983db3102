//! Bicep symbols that stay stable and distinct.

/// Hands out Bicep identifiers: `get("vnet", "vnet-hub.1")` → `vnetVnetHub1`. Different texts
/// that camel-case alike (`a-b`, `ab`) get distinct symbols; the same text always the same one.
#[derive(Default)]
pub struct Symbols {
    given: std::cell::RefCell<std::collections::BTreeMap<(String, String), String>>,
}

impl Symbols {
    pub fn get(&self, prefix: &str, text: &str) -> String {
        let mut given = self.given.borrow_mut();
        let key = (prefix.to_owned(), text.to_owned());
        if let Some(s) = given.get(&key) {
            return s.clone();
        }
        let base = format!("{prefix}{}", camel(text));
        let mut candidate = base.clone();
        let mut n = 2;
        while given.values().any(|v| *v == candidate) {
            candidate = format!("{base}{n}");
            n += 1;
        }
        given.insert(key, candidate.clone());
        candidate
    }
}

pub(crate) fn camel(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut chars = p.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_are_stable_and_distinct() {
        let syms = Symbols::default();
        let a = syms.get("vnet", "vnet-a");
        assert_eq!(a, "vnetVnetA");
        assert_eq!(syms.get("vnet", "vnet-a"), a, "same text, same symbol");
        let b = syms.get("vnet", "vnet.a");
        assert_ne!(a, b, "texts that camel-case alike get distinct symbols");
        assert_eq!(syms.get("liveEvent", "live-1"), "liveEventLive1");
    }
}
