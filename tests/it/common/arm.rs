//! Canonical form of ARM values for comparison with Bicep: `[parameters('x')]` and
//! `[variables('x')]` → `{x}`,
//! `format()` evaluated over canonical arguments, other expressions → `<expr>`.

use serde_json::{Map, Value};

use super::bicep::EXPR;

/// What `[createArray()]` stands for until it is turned back into `[]`.
const EMPTY_LIST: &str = "<empty list>";

pub fn canonical(v: &Value) -> Value {
    match v {
        Value::String(s) if text(s) == EMPTY_LIST => Value::Array(Vec::new()),
        Value::String(s) => Value::String(text(s)),
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = if k.starts_with('[') && k.ends_with(']') && !k.starts_with("[[") {
                    EXPR.to_owned()
                } else {
                    text(k)
                };
                out.insert(key, canonical(v));
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// ARM reads a string as an expression when it starts with `[` and ends with `]`; a leading
/// `[[` then stands for a literal `[`.
fn text(s: &str) -> String {
    if !(s.starts_with('[') && s.ends_with(']')) {
        return s.to_owned();
    }
    if s.starts_with("[[") {
        return s[1..].to_owned();
    }
    eval(&s[1..s.len() - 1]).unwrap_or_else(|| EXPR.into())
}

/// Evaluates the little ARM subset that has a Bicep twin in text form.
fn eval(expr: &str) -> Option<String> {
    let mut p = Expr {
        s: expr.as_bytes(),
        i: 0,
    };
    let v = p.term()?;
    (p.i == p.s.len()).then_some(v)
}

struct Expr<'a> {
    s: &'a [u8],
    i: usize,
}

impl Expr<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i] == b' ' {
            self.i += 1;
        }
    }
    fn term(&mut self) -> Option<String> {
        self.ws();
        if self.s.get(self.i) == Some(&b'\'') {
            self.i += 1;
            let mut out = Vec::new();
            loop {
                match self.s.get(self.i)? {
                    b'\'' if self.s.get(self.i + 1) == Some(&b'\'') => {
                        out.push(b'\'');
                        self.i += 2;
                    }
                    b'\'' => {
                        self.i += 1;
                        break;
                    }
                    c => {
                        out.push(*c);
                        self.i += 1;
                    }
                }
            }
            return String::from_utf8(out).ok();
        }
        let start = self.i;
        while self.i < self.s.len() && (self.s[self.i].is_ascii_alphanumeric()) {
            self.i += 1;
        }
        let name = std::str::from_utf8(&self.s[start..self.i]).ok()?.to_owned();
        if self.s.get(self.i) != Some(&b'(') {
            return None;
        }
        self.i += 1;
        let mut args = Vec::new();
        loop {
            self.ws();
            if self.s.get(self.i) == Some(&b')') {
                self.i += 1;
                break;
            }
            args.push(self.term()?);
            self.ws();
            if self.s.get(self.i) == Some(&b',') {
                self.i += 1;
            }
        }
        let mut member = String::new();
        while self.s.get(self.i) == Some(&b'.') {
            let start = self.i;
            self.i += 1;
            while self.i < self.s.len() && self.s[self.i].is_ascii_alphanumeric() {
                self.i += 1;
            }
            member.push_str(std::str::from_utf8(&self.s[start..self.i]).ok()?);
        }
        match (name.as_str(), member.as_str()) {
            ("parameters" | "variables", "") => Some(format!("{{{}}}", args.first()?)),
            ("createArray", "") if args.is_empty() => Some(EMPTY_LIST.into()),
            ("environment", m) if !m.is_empty() => Some(format!("{{environment(){m}}}")),
            ("format", "") => {
                let mut out = args.first()?.clone();
                for (i, a) in args.iter().enumerate().skip(1) {
                    out = out.replace(&format!("{{{}}}", i - 1), a);
                }
                Some(out)
            }
            _ => None,
        }
    }
}
