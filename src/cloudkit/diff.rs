//! What changes between two schemas, and whether production can take it: production only
//! grows, so removing a record type or a field, or changing a field's type, is destructive.

use super::schema::{RecordType, Schema};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    RecordTypeAdded,
    RecordTypeRemoved,
    FieldAdded,
    FieldRemoved,
    FieldRetyped,
    IndexAdded,
    IndexRemoved,
    GrantAdded,
    GrantRemoved,
    RoleAdded,
    RoleRemoved,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub record_type: Option<String>,
    pub field: Option<String>,
    /// A sentence: `Board.tags: STRING -> LIST<STRING>`.
    pub detail: String,
    /// Production cannot take it.
    pub destructive: bool,
    /// Line in the new schema (or the old one for removals).
    pub line: usize,
}

/// The changes that turn `old` into `new`, in the order of the schemas.
pub fn diff(old: &Schema, new: &Schema) -> Vec<Change> {
    let mut out = Vec::new();
    let ch =
        |kind, rt: Option<&str>, field: Option<&str>, detail: String, destructive, line| Change { kind, record_type: rt.map(String::from), field: field.map(String::from), detail, destructive, line };
    for r in &new.roles {
        if !old.roles.contains(r) {
            out.push(ch(ChangeKind::RoleAdded, None, None, format!("role {r} added"), false, 0));
        }
    }
    for r in &old.roles {
        if !new.roles.contains(r) {
            out.push(ch(ChangeKind::RoleRemoved, None, None, format!("role {r} removed"), false, 0));
        }
    }
    for o in &old.record_types {
        match new.record_type(&o.name) {
            None => out.push(ch(ChangeKind::RecordTypeRemoved, Some(&o.name), None, format!("record type {} removed", o.name), true, o.line)),
            Some(n) => record_type(o, n, &mut out),
        }
    }
    for n in &new.record_types {
        if old.record_type(&n.name).is_none() {
            out.push(ch(ChangeKind::RecordTypeAdded, Some(&n.name), None, format!("record type {} added ({} fields)", n.name, n.fields.len()), false, n.line));
        }
    }
    out
}

fn record_type(o: &RecordType, n: &RecordType, out: &mut Vec<Change>) {
    let rt = Some(n.name.clone());
    for of in &o.fields {
        match n.field(&of.name) {
            None => out.push(Change {
                kind: ChangeKind::FieldRemoved,
                record_type: rt.clone(),
                field: Some(of.name.clone()),
                detail: format!("{}.{} ({}) removed", n.name, of.name, of.ty),
                destructive: true,
                line: of.line,
            }),
            Some(nf) => {
                if nf.ty != of.ty {
                    out.push(Change {
                        kind: ChangeKind::FieldRetyped,
                        record_type: rt.clone(),
                        field: Some(of.name.clone()),
                        detail: format!("{}.{}: {} -> {}", n.name, of.name, of.ty, nf.ty),
                        destructive: true,
                        line: nf.line,
                    });
                }
                for (name, was, is) in [("QUERYABLE", of.queryable, nf.queryable), ("SORTABLE", of.sortable, nf.sortable), ("SEARCHABLE", of.searchable, nf.searchable)] {
                    if was != is {
                        out.push(Change {
                            kind: if is { ChangeKind::IndexAdded } else { ChangeKind::IndexRemoved },
                            record_type: rt.clone(),
                            field: Some(of.name.clone()),
                            detail: format!("{}.{}: {name} {}", n.name, of.name, if is { "added" } else { "removed" }),
                            destructive: false,
                            line: nf.line,
                        });
                    }
                }
            }
        }
    }
    for nf in &n.fields {
        if o.field(&nf.name).is_none() {
            out.push(Change {
                kind: ChangeKind::FieldAdded,
                record_type: rt.clone(),
                field: Some(nf.name.clone()),
                detail: format!("{}.{} ({}) added", n.name, nf.name, nf.ty),
                destructive: false,
                line: nf.line,
            });
        }
    }
    let key = |g: &super::schema::Grant| {
        (g.role.clone(), {
            let mut p = g.permissions.clone();
            p.sort();
            p
        })
    };
    let old_grants: Vec<_> = o.grants.iter().map(key).collect();
    let new_grants: Vec<_> = n.grants.iter().map(key).collect();
    for (g, k) in n.grants.iter().zip(&new_grants) {
        if !old_grants.contains(k) {
            out.push(Change {
                kind: ChangeKind::GrantAdded,
                record_type: rt.clone(),
                field: None,
                detail: format!("{}: GRANT {} TO {} added", n.name, k.1.join(", "), k.0),
                destructive: false,
                line: g.line,
            });
        }
    }
    for (g, k) in o.grants.iter().zip(&old_grants) {
        if !new_grants.contains(k) {
            out.push(Change {
                kind: ChangeKind::GrantRemoved,
                record_type: rt.clone(),
                field: None,
                detail: format!("{}: GRANT {} TO {} removed", n.name, k.1.join(", "), k.0),
                destructive: false,
                line: g.line,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn s(text: &str) -> Schema {
        Schema::parse(text, Path::new("t.ckdb")).unwrap()
    }

    #[test]
    fn additive_is_safe_and_its_reverse_is_destructive() {
        let old = s("DEFINE SCHEMA RECORD TYPE A (x STRING, GRANT READ TO \"_world\");");
        let new = s("DEFINE SCHEMA RECORD TYPE A (x STRING QUERYABLE, y INT64, GRANT READ TO \"_world\", GRANT WRITE TO \"_creator\"); RECORD TYPE B (z ASSET);");
        let forward = diff(&old, &new);
        let kinds: Vec<_> = forward.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, [ChangeKind::IndexAdded, ChangeKind::FieldAdded, ChangeKind::GrantAdded, ChangeKind::RecordTypeAdded]);
        assert!(forward.iter().all(|c| !c.destructive));
        let back = diff(&new, &old);
        let destructive: Vec<_> = back.iter().filter(|c| c.destructive).map(|c| c.detail.as_str()).collect();
        assert_eq!(destructive, ["A.y (INT64) removed", "record type B removed"]);
    }

    #[test]
    fn a_type_change_is_destructive() {
        let d = diff(&s("DEFINE SCHEMA RECORD TYPE A (x STRING);"), &s("DEFINE SCHEMA RECORD TYPE A (x LIST<STRING>);"));
        assert_eq!(d.len(), 1);
        assert!(d[0].destructive);
        assert_eq!(d[0].detail, "A.x: STRING -> LIST<STRING>");
        assert!(diff(&s("DEFINE SCHEMA RECORD TYPE A (x STRING);"), &s("define schema record type A (x string);")).is_empty());
    }
}
