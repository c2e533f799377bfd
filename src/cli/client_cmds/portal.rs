//! `deskport portal show|set`: printing the settings and turning `KEY VALUE` into a patch.

use super::super::output::count;
use color_eyre::eyre::{Result, bail, eyre};
use deskport::domain::portal::{PortalPatch, PropertyFilter};
use deskport::domain::routing::{ConditionOp, MatchValue};
use deskport::domain::text::strip_control;
use deskport::domain::wire::PortalFor;
use deskport::domain::{AccessMode, DomainInfo, PermissionMode, PortalSettings, TicketPermission};
use deskport::tui::i18n::t;
use std::io::Write;

/// The keys `portal set` understands, with the values they take.
const KEYS: &str = "name TEXT | slug SLUG | domain HOST | default-inbox ID | \
ticket-permission contact|company|contact-filter:PROPERTY=V1,V2 | access invite-only|self-registration | \
passwordless on|off | idle-timeout 20|40|60|1440 | show-closed on|off | support-form on|off | \
consent on|off | consent-required on|off | configured on|off";

/// `deskport portal set --help`: what each key does.
pub const SET_HELP: &str = "\
Keys:
  name TEXT                  the portal's name
  slug SLUG                  the path under the domain (a-z, 0-9, -)
  domain HOST                serve the portal on a connected domain (see `portal domain add`)
  default-inbox ID           where new tickets go when no routing rule matches
  ticket-permission MODE     contact | company | contact-filter:PROPERTY=V1,V2
  access MODE                invite-only | self-registration
  passwordless on|off        let customers sign in with an emailed code
  idle-timeout MINUTES       20 | 40 | 60 | 1440
  show-closed on|off         customers' lists include closed tickets
  support-form on|off        customers may open tickets with the support form
  consent on|off             show the consent notice
  consent-required on|off    customers must accept it before anything else
  configured on|off          the setup wizard is done (on needs a default inbox); while off,
                             the app opens an admin on the Portal tab's setup wizard";

/// Prints the settings as the account may see them, and the connected `domains` (staff).
pub fn print(out: &mut dyn Write, p: &PortalFor, domains: &[DomainInfo]) -> std::io::Result<()> {
    match p {
        PortalFor::Staff(staff) => {
            let s = &staff.settings;
            writeln!(out, "name:              {}", strip_control(&s.name))?;
            writeln!(
                out,
                "url:               {}",
                strip_control(&staff.portal_url)
            )?;
            writeln!(
                out,
                "domain:            {}{}",
                strip_control(&s.domain),
                if staff.system_domain {
                    " (system domain: no registration emails)"
                } else {
                    ""
                }
            )?;
            for (i, d) in domains.iter().enumerate() {
                let mut notes = vec![d.primary_language.as_str()];
                notes.extend(d.system.then_some("system"));
                notes.extend((d.host == s.domain).then_some("in use"));
                writeln!(
                    out,
                    "{:<19}{} ({})",
                    if i == 0 { "connected domains:" } else { "" },
                    strip_control(&d.host),
                    notes.join(", ")
                )?;
            }
            writeln!(out, "slug:              {}", strip_control(&s.slug))?;
            writeln!(out, "language:          {}", strip_control(&staff.language))?;
            writeln!(
                out,
                "default inbox:     {}",
                s.default_inbox_id
                    .map(|i| i.to_string())
                    .unwrap_or_else(|| "-".into())
            )?;
            writeln!(
                out,
                "ticket permission: {}",
                permission(&s.ticket_permission)
            )?;
            writeln!(out, "access:            {}", access_mode(s.access.mode))?;
            writeln!(out, "passwordless:      {}", on_off(s.access.passwordless))?;
            writeln!(
                out,
                "idle timeout:      {} minutes",
                s.access.idle_timeout_minutes
            )?;
            writeln!(
                out,
                "show closed:       {}",
                on_off(s.ticket_view.show_closed)
            )?;
            writeln!(
                out,
                "consent notice:    {}{}",
                on_off(s.consent.enabled),
                if s.consent.required { ", required" } else { "" }
            )?;
            writeln!(
                out,
                "support form:      {} ({})",
                on_off(s.support_form.enabled),
                count(s.support_form.fields.len(), "extra field", "extra fields")
            )?;
            writeln!(
                out,
                "configured:        {}{}",
                on_off(s.configured),
                if s.configured {
                    ""
                } else {
                    " (the app opens an admin on the setup wizard)"
                }
            )?;
            writeln!(out, "version:           {}", s.version)
        }
        PortalFor::Public(p) => {
            let rows = [
                ("cli-portal-name", strip_control(&p.name)),
                ("cli-portal-url", strip_control(&p.portal_url)),
                ("cli-portal-language", strip_control(&p.language)),
                ("cli-portal-access", access_mode(p.access_mode).to_string()),
            ]
            .map(|(label, value)| (t(label), value));
            let widest = rows.iter().map(|(l, _)| l.chars().count()).max();
            for (label, value) in rows {
                writeln!(out, "{label:<w$} {value}", w = widest.unwrap_or(0))?;
            }
            Ok(())
        }
    }
}

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

fn access_mode(m: AccessMode) -> &'static str {
    match m {
        AccessMode::InviteOnly => "invite-only",
        AccessMode::SelfRegistration => "self-registration",
    }
}

fn permission(p: &TicketPermission) -> String {
    match p.mode {
        PermissionMode::Contact => "contact (own tickets only)".into(),
        PermissionMode::Company => "company (the company's tickets)".into(),
        PermissionMode::ContactFilter => format!(
            "contact-filter ({})",
            count(p.filter.len(), "condition", "conditions")
        ),
    }
}

fn flag(key: &str, value: &str) -> Result<bool> {
    match value.to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" | "1" => Ok(true),
        "off" | "false" | "no" | "0" => Ok(false),
        _ => bail!("{key} takes on or off, not `{value}`"),
    }
}

/// The patch that sets `key` to `value` over the `current` settings.
pub fn patch_for(key: &str, value: &str, current: &PortalSettings) -> Result<PortalPatch> {
    let mut p = PortalPatch::default();
    let key = key.to_ascii_lowercase().replace('_', "-");
    match key.as_str() {
        "name" => p.name = Some(value.to_string()),
        "slug" => p.slug = Some(value.to_string()),
        "domain" => p.domain = Some(value.to_string()),
        "default-inbox" => {
            p.default_inbox_id = Some(
                value
                    .parse()
                    .map_err(|_| eyre!("default-inbox takes an inbox id"))?,
            )
        }
        "ticket-permission" => p.ticket_permission = Some(parse_permission(value)?),
        "access" => {
            let mode = match value {
                "invite-only" | "invite_only" => AccessMode::InviteOnly,
                "self-registration" | "self_registration" => AccessMode::SelfRegistration,
                _ => bail!("access takes invite-only or self-registration"),
            };
            p.access = Some(deskport::domain::Access {
                mode,
                ..current.access.clone()
            });
        }
        "passwordless" => {
            p.access = Some(deskport::domain::Access {
                passwordless: flag(&key, value)?,
                ..current.access.clone()
            })
        }
        "idle-timeout" => {
            let minutes = value
                .parse()
                .map_err(|_| eyre!("idle-timeout takes minutes: 20, 40, 60 or 1440"))?;
            p.access = Some(deskport::domain::Access {
                idle_timeout_minutes: minutes,
                ..current.access.clone()
            });
        }
        "show-closed" => {
            p.ticket_view = Some(deskport::domain::TicketView {
                show_closed: flag(&key, value)?,
                ..current.ticket_view.clone()
            })
        }
        "support-form" => {
            p.support_form = Some(deskport::domain::SupportForm {
                enabled: flag(&key, value)?,
                ..current.support_form.clone()
            })
        }
        "consent" => {
            p.consent = Some(deskport::domain::Consent {
                enabled: flag(&key, value)?,
                ..current.consent.clone()
            })
        }
        "consent-required" => {
            p.consent = Some(deskport::domain::Consent {
                required: flag(&key, value)?,
                ..current.consent.clone()
            })
        }
        "configured" => p.configured = Some(flag(&key, value)?),
        _ => bail!("unknown setting `{key}`; one of: {KEYS}"),
    }
    Ok(p)
}

fn parse_permission(value: &str) -> Result<TicketPermission> {
    let v = value.to_ascii_lowercase();
    match v.as_str() {
        "contact" => {
            return Ok(TicketPermission {
                mode: PermissionMode::Contact,
                filter: vec![],
            });
        }
        "company" => {
            return Ok(TicketPermission {
                mode: PermissionMode::Company,
                filter: vec![],
            });
        }
        _ => {}
    }
    let Some(spec) = value
        .strip_prefix("contact-filter:")
        .or_else(|| value.strip_prefix("contact_filter:"))
    else {
        bail!("ticket-permission takes contact, company or contact-filter:PROPERTY=V1,V2");
    };
    let (property, values) = spec
        .split_once('=')
        .ok_or_else(|| eyre!("write the filter as PROPERTY=V1,V2"))?;
    let values: Vec<String> = values
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let (op, value) = match values.as_slice() {
        [one] => (ConditionOp::Equals, MatchValue::One(one.clone())),
        _ => (ConditionOp::In, MatchValue::Many(values)),
    };
    Ok(TicketPermission {
        mode: PermissionMode::ContactFilter,
        filter: vec![PropertyFilter {
            property: property.trim().to_string(),
            op,
            value,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_become_patches() {
        let current = PortalSettings::unconfigured("help.acme.test");
        let p = patch_for("ticket-permission", "company", &current).expect("patch");
        assert_eq!(
            p.ticket_permission.map(|t| t.mode),
            Some(PermissionMode::Company)
        );
        let p = patch_for("name", "Acme Support", &current).expect("patch");
        assert_eq!(p.name.as_deref(), Some("Acme Support"));
        let p = patch_for("passwordless", "on", &current).expect("patch");
        assert_eq!(
            p.access.map(|a| (a.passwordless, a.idle_timeout_minutes)),
            Some((true, current.access.idle_timeout_minutes))
        );
        let p = patch_for(
            "ticket-permission",
            "contact-filter:plan=gold,platinum",
            &current,
        )
        .expect("patch");
        assert_eq!(p.ticket_permission.map(|t| t.filter.len()), Some(1));
        assert!(patch_for("colour", "red", &current).is_err());
        assert!(patch_for("show-closed", "maybe", &current).is_err());
    }
}
