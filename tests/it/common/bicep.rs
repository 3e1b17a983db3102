//! A reader for the subset of Bicep the tool writes, independent of the renderer: enough to
//! list resources and modules with their bodies, and to decode every string literal.

use serde_json::{Map, Value};

/// Marker for anything evaluated at deployment time (symbols, function calls, interpolation).
pub const EXPR: &str = "<expr>";

#[derive(Debug, Clone)]
pub struct Declaration {
    pub keyword: String,
    pub symbol: String,
    /// `type@version` for resources, the module path for modules, the type for params.
    pub target: String,
    /// `= if (condition) {`: the condition's text.
    pub condition: Option<String>,
    pub body: Value,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    /// A string with `${...}`, canonicalised as `text{expr}text`.
    Interp(String),
    Num(i64),
    Punct(char),
    Newline,
}

fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\n' => {
                out.push(Tok::Newline);
                i += 1;
            }
            ' ' | '\t' | '\r' => i += 1,
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '\'' => {
                i += 1;
                let mut s = String::new();
                let mut interp = false;
                let mut opaque = false;
                loop {
                    let Some(&c) = chars.get(i) else {
                        return Err("unterminated string".into());
                    };
                    match c {
                        '\'' => {
                            i += 1;
                            break;
                        }
                        '\n' => return Err(format!("raw newline in string after {s:?}")),
                        '\\' => {
                            let e = *chars.get(i + 1).ok_or("dangling escape")?;
                            i += 2;
                            match e {
                                '\\' => s.push('\\'),
                                '\'' => s.push('\''),
                                'n' => s.push('\n'),
                                'r' => s.push('\r'),
                                't' => s.push('\t'),
                                '$' => s.push('$'),
                                'u' => {
                                    if chars.get(i) != Some(&'{') {
                                        return Err("bad \\u escape".into());
                                    }
                                    let end = chars[i..]
                                        .iter()
                                        .position(|c| *c == '}')
                                        .ok_or("bad \\u escape")?
                                        + i;
                                    let hex: String = chars[i + 1..end].iter().collect();
                                    let code =
                                        u32::from_str_radix(&hex, 16).map_err(|e| e.to_string())?;
                                    s.push(char::from_u32(code).ok_or("bad code point")?);
                                    i = end + 1;
                                }
                                other => return Err(format!("unknown escape \\{other}")),
                            }
                        }
                        '$' if chars.get(i + 1) == Some(&'{') => {
                            interp = true;
                            let mut depth = 0;
                            s.push('{');
                            i += 1;
                            while i < chars.len() {
                                if chars[i] == '{' {
                                    depth += 1;
                                    if depth == 1 {
                                        i += 1;
                                        continue;
                                    }
                                } else if chars[i] == '}' {
                                    depth -= 1;
                                    if depth == 0 {
                                        i += 1;
                                        break;
                                    }
                                }
                                s.push(chars[i]);
                                i += 1;
                            }
                            s.push('}');
                            let inner = &s[s.rfind('{').unwrap_or(0) + 1..s.len() - 1];
                            let simple =
                                inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                            if !simple && !inner.starts_with("environment().") {
                                opaque = true;
                            }
                        }
                        c => {
                            s.push(c);
                            i += 1;
                        }
                    }
                }
                out.push(if !interp {
                    Tok::Str(s)
                } else if opaque {
                    // Only parameters and environment() have an ARM twin the test can evaluate.
                    Tok::Interp(EXPR.into())
                } else {
                    Tok::Interp(s)
                });
            }
            c if c.is_ascii_digit() => {
                let start = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let n: String = chars[start..i].iter().collect();
                out.push(Tok::Num(
                    n.parse()
                        .map_err(|e: std::num::ParseIntError| e.to_string())?,
                ));
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                out.push(Tok::Ident(chars[start..i].iter().collect()));
            }
            c => {
                out.push(Tok::Punct(c));
                i += 1;
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }
    fn skip_newlines(&mut self) {
        while self.peek() == Some(&Tok::Newline) {
            self.pos += 1;
        }
    }
    fn expect(&mut self, t: Tok) -> Result<(), String> {
        match self.next() {
            Some(got) if got == t => Ok(()),
            got => Err(format!("expected {t:?}, got {got:?} at token {}", self.pos)),
        }
    }

    fn value(&mut self) -> Result<Value, String> {
        match self.peek().cloned() {
            Some(Tok::Punct('{')) => self.object(),
            Some(Tok::Punct('[')) => self.array(),
            _ => self.simple(),
        }
    }

    /// A literal, or an expression up to the end of the line (balanced brackets).
    fn simple(&mut self) -> Result<Value, String> {
        let start = self.pos;
        let mut depth = 0i32;
        let mut count = 0;
        while let Some(t) = self.peek() {
            match t {
                Tok::Newline if depth == 0 => break,
                Tok::Punct(']') | Tok::Punct('}') | Tok::Punct(')') if depth == 0 => break,
                Tok::Punct('(') | Tok::Punct('[') | Tok::Punct('{') => depth += 1,
                Tok::Punct(')') | Tok::Punct(']') | Tok::Punct('}') => depth -= 1,
                _ => {}
            }
            self.pos += 1;
            count += 1;
        }
        if count == 1 {
            return Ok(match &self.toks[start] {
                Tok::Str(s) => Value::String(s.clone()),
                Tok::Num(n) => Value::from(*n),
                Tok::Ident(b) if b == "true" => Value::Bool(true),
                Tok::Ident(b) if b == "false" => Value::Bool(false),
                // A parameter (or any bare symbol) in canonical form.
                Tok::Ident(name) => Value::String(format!("{{{name}}}")),
                Tok::Interp(s) => Value::String(s.clone()),
                _ => Value::String(EXPR.into()),
            });
        }
        if count == 0 {
            return Err(format!("empty value at token {start}"));
        }
        Ok(Value::String(EXPR.into()))
    }

    fn object(&mut self) -> Result<Value, String> {
        self.expect(Tok::Punct('{'))?;
        let mut map = Map::new();
        loop {
            self.skip_newlines();
            match self.next() {
                Some(Tok::Punct('}')) => return Ok(Value::Object(map)),
                Some(Tok::Ident(k)) | Some(Tok::Str(k)) => {
                    self.expect(Tok::Punct(':'))?;
                    let v = self.value()?;
                    if map.insert(k.clone(), v).is_some() {
                        return Err(format!("duplicate key {k}"));
                    }
                }
                Some(Tok::Interp(_)) => {
                    self.expect(Tok::Punct(':'))?;
                    let v = self.value()?;
                    map.insert(EXPR.into(), v);
                }
                other => return Err(format!("bad object key {other:?}")),
            }
        }
    }

    fn array(&mut self) -> Result<Value, String> {
        self.expect(Tok::Punct('['))?;
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            if self.peek() == Some(&Tok::Punct(']')) {
                self.pos += 1;
                return Ok(Value::Array(items));
            }
            items.push(self.value()?);
        }
    }

    fn skip_decorator(&mut self) -> Result<(), String> {
        self.expect(Tok::Punct('@'))?;
        self.next();
        self.expect(Tok::Punct('('))?;
        let mut depth = 1;
        while depth > 0 {
            match self.next() {
                Some(Tok::Punct('(')) => depth += 1,
                Some(Tok::Punct(')')) => depth -= 1,
                Some(_) => {}
                None => return Err("unterminated decorator".into()),
            }
        }
        Ok(())
    }
}

/// Every top-level declaration, in order. Fails on anything malformed.
pub fn parse(src: &str) -> Result<Vec<Declaration>, String> {
    let mut p = Parser {
        toks: lex(src)?,
        pos: 0,
    };
    let mut out = Vec::new();
    loop {
        p.skip_newlines();
        let Some(tok) = p.next() else { return Ok(out) };
        match tok {
            Tok::Punct('@') => {
                p.pos -= 1;
                p.skip_decorator()?;
            }
            Tok::Ident(kw) if kw == "resource" || kw == "module" => {
                let Some(Tok::Ident(symbol)) = p.next() else {
                    return Err("symbol".into());
                };
                let Some(Tok::Str(target)) = p.next() else {
                    return Err("target".into());
                };
                // `existing` declares a resource only to refer to it; it creates nothing.
                let keyword = if p.peek() == Some(&Tok::Ident("existing".into())) {
                    p.pos += 1;
                    "existing".to_owned()
                } else {
                    kw
                };
                p.expect(Tok::Punct('='))?;
                let condition = if p.peek() == Some(&Tok::Ident("if".into())) {
                    p.pos += 1;
                    p.expect(Tok::Punct('('))?;
                    let mut text = String::new();
                    loop {
                        match p.next() {
                            Some(Tok::Punct(')')) => break,
                            Some(Tok::Ident(i)) => text.push_str(&i),
                            other => return Err(format!("unexpected {other:?} in a condition")),
                        }
                    }
                    Some(text)
                } else {
                    None
                };
                let body = p.object()?;
                out.push(Declaration {
                    keyword,
                    symbol,
                    target,
                    condition,
                    body,
                });
            }
            Tok::Ident(kw) if kw == "param" || kw == "output" || kw == "var" => {
                let Some(Tok::Ident(symbol)) = p.next() else {
                    return Err("param name".into());
                };
                let mut target = String::new();
                if let Some(Tok::Ident(ty)) = p.peek().cloned() {
                    target = ty;
                    p.pos += 1;
                }
                let body = if p.peek() == Some(&Tok::Punct('=')) {
                    p.pos += 1;
                    p.value()?
                } else {
                    Value::Null
                };
                out.push(Declaration {
                    keyword: kw,
                    condition: None,
                    symbol,
                    target,
                    body,
                });
            }
            Tok::Ident(kw) if kw == "metadata" => {
                let Some(Tok::Ident(symbol)) = p.next() else {
                    return Err("metadata name".into());
                };
                p.expect(Tok::Punct('='))?;
                let body = p.value()?;
                out.push(Declaration {
                    keyword: kw,
                    condition: None,
                    symbol,
                    target: String::new(),
                    body,
                });
            }
            Tok::Ident(kw) if kw == "targetScope" => {
                p.expect(Tok::Punct('='))?;
                let body = p.value()?;
                out.push(Declaration {
                    keyword: kw,
                    condition: None,
                    symbol: String::new(),
                    target: String::new(),
                    body,
                });
            }
            Tok::Ident(kw) if kw == "using" => {
                let Some(Tok::Str(target)) = p.next() else {
                    return Err("using target".into());
                };
                out.push(Declaration {
                    keyword: kw,
                    condition: None,
                    symbol: String::new(),
                    target,
                    body: Value::Null,
                });
            }
            other => return Err(format!("unexpected {other:?} at top level")),
        }
    }
}
