//! Path templates like `/bots/{BOT_UNIQUE_NAME}/handlers`.

/// One piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Literal text.
    Literal(String),
    /// A `{name}` placeholder.
    Param(String),
}

/// Split a template into literal text and placeholders.
pub fn parse(template: &str) -> Result<Vec<Segment>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(Segment::Literal(rest[..open].to_string()));
        }
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("path template `{template}` has an unclosed `{{`"))?;
        let name = &after[..close];
        if name.is_empty() || name.contains('{') {
            return Err(format!(
                "path template `{template}` has an empty or nested placeholder"
            ));
        }
        out.push(Segment::Param(name.to_string()));
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!(
            "path template `{template}` has a `}}` without `{{`"
        ));
    }
    if !rest.is_empty() {
        out.push(Segment::Literal(rest.to_string()));
    }
    Ok(out)
}

/// The placeholder names, in order.
pub fn placeholders(template: &str) -> Result<Vec<String>, String> {
    Ok(parse(template)?
        .into_iter()
        .filter_map(|s| match s {
            Segment::Param(p) => Some(p),
            Segment::Literal(_) => None,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_templates() {
        assert_eq!(
            parse("/bots/{BOT_UNIQUE_NAME}/handlers/{HANDLER_TYPE}").unwrap(),
            vec![
                Segment::Literal("/bots/".into()),
                Segment::Param("BOT_UNIQUE_NAME".into()),
                Segment::Literal("/handlers/".into()),
                Segment::Param("HANDLER_TYPE".into()),
            ]
        );
        assert_eq!(
            parse("/bots").unwrap(),
            vec![Segment::Literal("/bots".into())]
        );
        assert!(parse("/bots/{oops").is_err());
        assert!(parse("/bots/oops}").is_err());
        assert!(parse("/bots/{}").is_err());
    }
}
