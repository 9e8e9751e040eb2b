//! The one translation table of validation problems: every [`Problem`] as a sentence in each
//! language the app speaks.
//!
//! The server, the server functions and the browser's own checks all answer with a [`Problem`]
//! (see `contracts::problem`), never with text to match. The `match` below is exhaustive and has
//! no wildcard arm, so a new variant does not compile until it has a sentence in both languages.

use contracts::permissions::{PERMISSION_MAX_LEN, PermissionError};
use contracts::problem::ContrastPart;
use contracts::usage::UsageMeter;
use contracts::{ConflictReason, Locale, Problem};

/// `problem` as a sentence for the person who typed the value, in `locale`.
#[must_use]
pub fn problem(locale: Locale, problem: &Problem) -> String {
    let (es, en): (String, String) = match problem {
        Problem::Required => fixed("Este campo es obligatorio.", "This field is required."),
        Problem::TooShort { min } => {
            (format!("Usa al menos {min} caracteres."), format!("Use at least {min} characters."))
        }
        Problem::TooLong { max } => {
            (format!("Usa como máximo {max} caracteres."), format!("Use at most {max} characters."))
        }
        Problem::ControlCharacters => {
            fixed("Quita los caracteres invisibles.", "Remove the invisible characters.")
        }
        Problem::Whitespace => fixed(
            "Una dirección web no lleva espacios; revisa el principio y el final.",
            "A web address has no spaces; check its start and end.",
        ),
        Problem::NotHttpUrl => {
            fixed("Debe empezar por https:// (o http://).", "Must start with https:// (or http://).")
        }
        Problem::NotAUrl => fixed(
            "No es una dirección web válida; cópiala de la barra del navegador.",
            "That is not a valid web address; copy it from your browser's address bar.",
        ),
        Problem::NotEmail => fixed("No es un correo válido.", "That is not an email address."),
        Problem::NotPhone => fixed(
            "Escribe el número con + y el código de país, sin espacios: +5215512345678.",
            "Write the number with + and the country code, without spaces: +5215512345678.",
        ),
        Problem::NotAColour => fixed("Elige un color como #1e3a5f.", "Choose a colour like #1e3a5f."),
        Problem::LowContrast { part, ratio } => {
            let what = match part {
                ContrastPart::Text => "el texto",
                ContrastPart::Muted => "el texto secundario",
                ContrastPart::OnAccent => "el texto de los botones",
            };
            let es_ratio = format!("{ratio:.1}").replace('.', ",");
            (
                format!("Con estos colores {what} se leería mal (contraste {es_ratio}:1; hace falta 4,5:1)."),
                format!(
                    "With these colours the {} would be hard to read ({ratio:.1}:1; 4.5:1 is needed).",
                    part.as_str()
                ),
            )
        }
        Problem::NotAUuid => fixed("Debe ser un ID (UUID).", "Must be an ID (UUID)."),
        Problem::NotADateTime => fixed(
            "Debe ser una fecha y hora como 2026-12-01T09:00:00Z.",
            "Must be a date and time like 2026-12-01T09:00:00Z.",
        ),
        Problem::NotATimeOrDate => fixed(
            "Debe ser una fecha (2026-11-25) o una hora RFC 3339.",
            "Must be a date (2026-11-25) or an RFC 3339 time.",
        ),
        Problem::MustBeAfter { field } => match field.as_str() {
            "visibleFrom" => fixed("Debe ser posterior a la fecha de inicio.", "Must be after the start."),
            "from" => fixed("Debe ser posterior a «Desde».", "Must be after “From”."),
            other => (format!("Debe ser posterior a «{other}»."), format!("Must be after “{other}”.")),
        },
        Problem::OneOf { choices } => {
            (format!("Debe ser {}.", listed(choices, "o")), format!("Must be {}.", listed(choices, "or")))
        }
        Problem::NotAnObject => fixed("Debe ser un objeto JSON.", "Must be a JSON object."),
        Problem::Malformed { .. } => {
            fixed("No tiene el formato esperado.", "This is not in the expected format.")
        }
        Problem::OutOfRange { min, max } => {
            (format!("Debe estar entre {min} y {max}."), format!("Must be between {min} and {max}."))
        }
        Problem::MinutesOutOfRange { min, max } => {
            (format!("Entre {min} y {max} minutos."), format!("Between {min} and {max} minutes."))
        }
        Problem::NumberOutOfRange { min, max } => (
            format!("Debe ser un número de {min} a {max}."),
            format!("Must be a number from {min} to {max}."),
        ),
        Problem::WholeNumberOutOfRange { min, max } => (
            format!("Debe ser un número entero de {min} a {max}."),
            format!("Must be a whole number from {min} to {max}."),
        ),
        Problem::AtLeastOneLink => fixed("Añade al menos una red.", "Add at least one network."),
        Problem::TooManyLinks { max } => {
            (format!("Como máximo {max} redes."), format!("At most {max} networks."))
        }
        Problem::TooManyEnvironments { max } => {
            (format!("Como máximo {max} entornos."), format!("At most {max} environments."))
        }
        Problem::TooManyOverrides { max } => {
            (format!("Como máximo {max} excepciones."), format!("At most {max} overrides."))
        }
        Problem::SameSubjectAs { .. } => {
            fixed("Repite otra excepción.", "Names the same user or organization as another override.")
        }
        Problem::TooManyGrants { permissions, roles } => (
            format!("Como máximo {permissions} permisos y {roles} roles heredados."),
            format!("At most {permissions} permissions and {roles} inherited roles."),
        ),
        Problem::UnknownField => fixed("Este campo no existe.", "There is no such field."),
        Problem::NotABlockField => fixed("Este bloque no admite ese campo.", "This block has no such field."),
        Problem::Duplicate => fixed("Está repetido.", "This is listed twice."),
        Problem::Repeated => fixed("Se indicó más de una vez.", "This is given more than once."),
        Problem::NotBoth { first, second } => (
            format!("Indica «{first}» o «{second}», no ambos."),
            format!("Give either “{first}” or “{second}”, not both."),
        ),
        Problem::SlugCharacters => fixed(
            "Usa solo minúsculas sin tildes, números y guiones.",
            "Use only lowercase letters, digits and hyphens.",
        ),
        Problem::RoleNameCharacters => fixed(
            "Usa solo minúsculas sin tildes, números, «-» y «_».",
            "Use only lowercase letters, digits, “-” and “_”.",
        ),
        Problem::EdgeCharacter => fixed(
            "Debe empezar y terminar con una letra o un número.",
            "Must start and end with a letter or digit.",
        ),
        Problem::DoubleHyphen => fixed("No uses dos guiones seguidos.", "Don't use two hyphens in a row."),
        Problem::Reserved => {
            fixed("Esa dirección está reservada; elige otra.", "That address is reserved; choose another.")
        }
        Problem::NotASlug => fixed(
            "De 3 a 40 minúsculas, números y guiones sueltos; empieza y termina con letra o número.",
            "3 to 40 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.",
        ),
        Problem::NotAnEnvironment => fixed(
            "De 1 a 32 minúsculas, números, «-» o «_».",
            "1 to 32 lowercase letters, digits, “-” or “_”.",
        ),
        Problem::NotABlockType => fixed("No es un tipo de bloque.", "That is not a block type."),
        Problem::ReservedBlockType { block_type } => (
            format!("Los bloques {block_type} todavía no se pueden crear."),
            format!("{block_type} blocks cannot be created yet."),
        ),
        Problem::NotABlockOfPage => {
            fixed("No es un bloque de esta página.", "That is not a block of this page.")
        }
        Problem::UnknownTemplate => {
            fixed("No es una de nuestras plantillas.", "That is not one of our templates.")
        }
        Problem::ConsentRequired => fixed("Acepta para suscribirte.", "Accept to subscribe."),
        Problem::NotAnImage => {
            fixed("Tiene que ser una imagen PNG, JPEG o WebP.", "It must be a PNG, JPEG or WebP image.")
        }
        Problem::UnreadableImage => fixed(
            "No pudimos leer esta imagen; puede estar dañada.",
            "We couldn't read this image; it may be damaged.",
        ),
        Problem::CommonPassword => fixed(
            "Es demasiado común; elige una más difícil de adivinar.",
            "It is too common; choose one that is harder to guess.",
        ),
        Problem::WrongPassword => fixed("No es tu contraseña actual.", "That is not your current password."),
        Problem::SelfDeactivation => {
            fixed("No puedes desactivar tu propia cuenta.", "You cannot deactivate your own account.")
        }
        Problem::WrongSetupToken => fixed(
            "No es el token vigente. Cópialo del último arranque del servidor.",
            "That is not the current token. Copy it from the server's latest start.",
        ),
        Problem::NoUserWithEmail => fixed("Ningún usuario tiene este correo.", "No user has this email."),
        Problem::NoOrganizationWithSlug => {
            fixed("Ninguna organización tiene esta dirección.", "No organization has this slug.")
        }
        Problem::NotARole => {
            fixed("No es un rol de esta organización.", "That is not a role of this organization.")
        }
        Problem::BuiltinRoleName { name } => (
            format!("«{name}» es el nombre de un rol predefinido; elige otro."),
            format!("“{name}” is the name of a built-in role; choose another."),
        ),
        Problem::UnknownRole { name } => {
            (format!("No hay ningún rol llamado «{name}»."), format!("There is no role named “{name}”."))
        }
        Problem::InheritanceCycle { path } => {
            let path = path.join(" → ");
            (
                format!("Los roles se heredarían en círculo: {path}."),
                format!("The roles would inherit in a circle: {path}."),
            )
        }
        Problem::InheritsTooDeep { name, max } => (
            format!("«{name}» hereda a través de más de {max} niveles."),
            format!("“{name}” inherits through more than {max} levels."),
        ),
        Problem::UnknownPermission { pattern } => (
            format!("«{pattern}» no corresponde a ningún permiso."),
            format!("“{pattern}” matches no known permission."),
        ),
        Problem::NotAPermission { rule } => permission_rule(*rule),
        Problem::NotAnEventType => fixed(
            "Debe ser un tipo de evento (membership.role_changed) o una familia (membership.*).",
            "Must be an event type (membership.role_changed) or a family (membership.*).",
        ),
        Problem::NotACursor => fixed(
            "No es un cursor válido; vuelve a la primera página.",
            "That is not a valid cursor; go back to the first page.",
        ),
        Problem::MustBeSentOnce => fixed("Debe enviarse una sola vez.", "Must be sent once."),
        Problem::NotAnIdempotencyKey => fixed(
            "Debe tener de 1 a 255 caracteres ASCII visibles.",
            "Must be 1 to 255 visible ASCII characters.",
        ),
        Problem::KeyReused => fixed("Ya se usó con otra petición.", "It was used with a different request."),
        Problem::QuotaExceeded { meter: UsageMeter::PagesCreated, limit: 1 } => fixed(
            "Tu plan incluye 1 página y ya la tienes. Mejora tu plan en Facturación para crear más.",
            "Your plan includes 1 page and you have it. Upgrade in Billing to create more.",
        ),
        Problem::QuotaExceeded { meter: UsageMeter::PagesCreated, limit } => (
            format!(
                "Tu plan incluye {limit} páginas y ya las tienes. Mejora tu plan en Facturación para crear más."
            ),
            format!(
                "Your plan includes {limit} pages and you have them all. Upgrade in Billing to create more."
            ),
        ),
        Problem::QuotaExceeded { meter: UsageMeter::LeadsCaptured, limit } => (
            format!("Tu plan incluye {limit} contactos al mes y ya llegaste. Mejora tu plan en Facturación."),
            format!("Your plan includes {limit} leads a month and you reached it. Upgrade in Billing."),
        ),
    };
    match locale {
        Locale::Es => es,
        Locale::En => en,
    }
}

/// Why a request conflicted with the current state, in `locale`'s words. Exhaustive like
/// [`problem`]: a new reason does not compile until it has both sentences.
#[must_use]
pub fn conflict(locale: Locale, reason: ConflictReason) -> String {
    let (es, en) = match reason {
        ConflictReason::AlreadyMember => {
            ("Esta persona ya es miembro de la organización.", "This person is already a member.")
        }
        ConflictReason::LastOwnerRoleChange => (
            "Es el último propietario: nombra antes a otro propietario para cambiarle el rol.",
            "This is the last owner: make someone else an owner before changing their role.",
        ),
        ConflictReason::LastOwnerRemoval => (
            "Es el último propietario: nombra antes a otro propietario para quitarlo.",
            "This is the last owner: make someone else an owner before removing them.",
        ),
        ConflictReason::RoleInUseRename => (
            "Este rol está en uso (lo tienen miembros u otros roles lo heredan); no se puede renombrar.",
            "This role is in use (members hold it or other roles inherit it); it cannot be renamed.",
        ),
        ConflictReason::RoleNameTaken => {
            ("Ya existe un rol con este nombre.", "A role with this name already exists.")
        }
        ConflictReason::RoleHeld => (
            "Hay miembros o invitaciones abiertas con este rol; dales otro rol antes de eliminarlo.",
            "Members or open invitations hold this role; give them another role before deleting it.",
        ),
        ConflictReason::RoleInherited => (
            "Otros roles heredan de este; quita esa herencia antes de eliminarlo.",
            "Other roles inherit from this one; remove that first.",
        ),
        ConflictReason::AlreadySubscribed => (
            "Tu organización ya tiene un plan de pago; cámbialo en «Administrar facturación».",
            "Your organization already has a paid plan; change it in “Manage billing”.",
        ),
    };
    match locale {
        Locale::Es => es.to_owned(),
        Locale::En => en.to_owned(),
    }
}

fn fixed(es: &str, en: &str) -> (String, String) {
    (es.to_owned(), en.to_owned())
}

/// A usage meter's name as the usage panel shows it.
#[must_use]
pub const fn meter_name(locale: Locale, meter: UsageMeter) -> &'static str {
    let (es, en) = match meter {
        UsageMeter::PagesCreated => ("Páginas", "Pages"),
        UsageMeter::LeadsCaptured => ("Contactos este mes", "Leads this month"),
    };
    match locale {
        Locale::Es => es,
        Locale::En => en,
    }
}

/// `a, b or c` (`a, b o c`).
fn listed(choices: &[String], or: &str) -> String {
    match choices.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {or} {last}", rest.join(", ")),
        None => String::new(),
    }
}

fn permission_rule(rule: PermissionError) -> (String, String) {
    match rule {
        PermissionError::Empty => fixed("No puede estar vacío.", "Must not be empty."),
        PermissionError::TooLong => (
            format!("Usa como máximo {PERMISSION_MAX_LEN} caracteres."),
            format!("Use at most {PERMISSION_MAX_LEN} characters."),
        ),
        PermissionError::InvalidCharacters => fixed(
            "Usa solo minúsculas sin tildes, números, «_» y «:».",
            "Use only lowercase letters, digits, “_” and “:”.",
        ),
        PermissionError::EmptySegment => fixed(
            "Tiene una parte vacía: escribe «recurso:acción».",
            "It has an empty part: write “resource:action”.",
        ),
        PermissionError::SegmentStart => fixed(
            "Cada parte debe empezar por una minúscula.",
            "Each part must start with a lowercase letter.",
        ),
        PermissionError::SegmentCount => fixed(
            "Debe tener 2 o 3 partes, como «links:read» o «links:leads:read».",
            "It must have 2 or 3 parts, like “links:read” or “links:leads:read”.",
        ),
        PermissionError::Wildcard => fixed(
            "«*» solo puede ir solo o como última parte entera, como «links:*».",
            "“*” may only stand alone or as the whole last part, like “links:*”.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use contracts::blocks::BlockType;

    use super::*;

    /// One of each variant. The table's `match` is what makes a translation impossible to forget
    /// (a new variant is a compile error there); this list checks that none is left empty.
    fn every_problem() -> Vec<Problem> {
        let s = |v: &str| v.to_owned();
        vec![
            Problem::Required,
            Problem::TooShort { min: 3 },
            Problem::TooLong { max: 100 },
            Problem::ControlCharacters,
            Problem::Whitespace,
            Problem::NotHttpUrl,
            Problem::NotAUrl,
            Problem::NotEmail,
            Problem::NotPhone,
            Problem::NotAColour,
            Problem::LowContrast { part: ContrastPart::Text, ratio: 1.23 },
            Problem::LowContrast { part: ContrastPart::Muted, ratio: 2.0 },
            Problem::LowContrast { part: ContrastPart::OnAccent, ratio: 3.0 },
            Problem::NotAUuid,
            Problem::NotADateTime,
            Problem::NotATimeOrDate,
            Problem::MustBeAfter { field: s("visibleFrom") },
            Problem::MustBeAfter { field: s("from") },
            Problem::MustBeAfter { field: s("startsAt") },
            Problem::OneOf { choices: vec![s("7d"), s("30d"), s("90d")] },
            Problem::NotAnObject,
            Problem::Malformed { detail: s("invalid type: integer `42`, expected a string") },
            Problem::OutOfRange { min: 1, max: 10 },
            Problem::MinutesOutOfRange { min: 1, max: 1440 },
            Problem::NumberOutOfRange { min: 1, max: 100 },
            Problem::WholeNumberOutOfRange { min: 0, max: 100 },
            Problem::AtLeastOneLink,
            Problem::TooManyLinks { max: 12 },
            Problem::TooManyEnvironments { max: 20 },
            Problem::TooManyOverrides { max: 1000 },
            Problem::SameSubjectAs { index: 0 },
            Problem::TooManyGrants { permissions: 100, roles: 20 },
            Problem::UnknownField,
            Problem::NotABlockField,
            Problem::Duplicate,
            Problem::Repeated,
            Problem::NotBoth { first: s("position"), second: s("afterBlockId") },
            Problem::SlugCharacters,
            Problem::RoleNameCharacters,
            Problem::EdgeCharacter,
            Problem::DoubleHyphen,
            Problem::Reserved,
            Problem::NotASlug,
            Problem::NotAnEnvironment,
            Problem::NotABlockType,
            Problem::ReservedBlockType { block_type: BlockType::Embed },
            Problem::NotABlockOfPage,
            Problem::UnknownTemplate,
            Problem::ConsentRequired,
            Problem::NotAnImage,
            Problem::UnreadableImage,
            Problem::CommonPassword,
            Problem::WrongPassword,
            Problem::SelfDeactivation,
            Problem::WrongSetupToken,
            Problem::NoUserWithEmail,
            Problem::NoOrganizationWithSlug,
            Problem::NotARole,
            Problem::BuiltinRoleName { name: s("owner") },
            Problem::UnknownRole { name: s("ghost") },
            Problem::InheritanceCycle { path: vec![s("a"), s("b"), s("a")] },
            Problem::InheritsTooDeep { name: s("deep"), max: 8 },
            Problem::UnknownPermission { pattern: s("lnks:read") },
            Problem::NotAPermission { rule: PermissionError::Empty },
            Problem::NotAPermission { rule: PermissionError::TooLong },
            Problem::NotAPermission { rule: PermissionError::InvalidCharacters },
            Problem::NotAPermission { rule: PermissionError::EmptySegment },
            Problem::NotAPermission { rule: PermissionError::SegmentStart },
            Problem::NotAPermission { rule: PermissionError::SegmentCount },
            Problem::NotAPermission { rule: PermissionError::Wildcard },
            Problem::NotAnEventType,
            Problem::NotACursor,
            Problem::MustBeSentOnce,
            Problem::NotAnIdempotencyKey,
            Problem::KeyReused,
            Problem::QuotaExceeded { meter: UsageMeter::PagesCreated, limit: 1 },
            Problem::QuotaExceeded { meter: UsageMeter::PagesCreated, limit: 10 },
            Problem::QuotaExceeded { meter: UsageMeter::LeadsCaptured, limit: 50 },
        ]
    }

    #[test]
    fn every_problem_reads_as_a_sentence_in_both_languages() {
        for p in every_problem() {
            let (es, en) = (problem(Locale::Es, &p), problem(Locale::En, &p));
            for text in [&es, &en] {
                assert!(text.chars().next().is_some_and(|c| !c.is_lowercase()), "{p:?}: {text:?}");
                assert!(text.ends_with('.'), "{p:?}: {text:?}");
            }
            assert_ne!(es, en, "{p:?} is not translated");
        }
    }

    #[test]
    fn parameters_reach_the_sentence() {
        assert_eq!(problem(Locale::Es, &Problem::Required), "Este campo es obligatorio.");
        assert_eq!(problem(Locale::En, &Problem::TooLong { max: 100 }), "Use at most 100 characters.");
        assert_eq!(problem(Locale::Es, &Problem::TooLong { max: 80 }), "Usa como máximo 80 caracteres.");
        let contrast = Problem::LowContrast { part: ContrastPart::Text, ratio: 1.234 };
        assert!(problem(Locale::Es, &contrast).contains("1,2:1"));
        assert!(problem(Locale::En, &contrast).starts_with("With these colours the text would"));
        assert_eq!(
            problem(Locale::Es, &Problem::MustBeAfter { field: "visibleFrom".into() }),
            "Debe ser posterior a la fecha de inicio."
        );
        assert_eq!(
            problem(Locale::Es, &Problem::BuiltinRoleName { name: "owner".into() }),
            "«owner» es el nombre de un rol predefinido; elige otro."
        );
        assert_eq!(
            problem(Locale::En, &Problem::QuotaExceeded { meter: UsageMeter::LeadsCaptured, limit: 50 }),
            "Your plan includes 50 leads a month and you reached it. Upgrade in Billing."
        );
        let range = Problem::OneOf { choices: vec!["7d".into(), "30d".into(), "90d".into()] };
        assert_eq!(problem(Locale::Es, &range), "Debe ser 7d, 30d o 90d.");
    }
}
