//! The template gallery: four coach archetypes, kept in code rather than in a table.
//!
//! A template is a theme preset, a sample title and bio, and a list of block seeds, each text
//! written in every [`Locale`]. Creating a page from a template applies [`Template::theme`] and
//! inserts [`Template::blocks`] in order, at positions 10, 20, 30…
//!
//! Every URL is an obvious placeholder on a real-looking domain (`https://calendly.com/tu-usuario`)
//! that the coach replaces; every seed passes [`BlockConfig::validate`] (see the tests).

use contracts::Locale;
use contracts::blocks::{
    BlockConfig, BookingLinkConfig, HeaderConfig, LeadCaptureConfig, LinkConfig, PaymentLinkConfig,
    SocialLink, SocialNetwork, SocialRowConfig, WhatsappConfig,
};
use contracts::links::TemplateView;
use contracts::theme::{PageTheme, ThemePreset};

/// A text in every supported language.
#[derive(Debug, Clone, Copy)]
struct Text {
    es: &'static str,
    en: &'static str,
}

impl Text {
    const fn get(self, locale: Locale) -> &'static str {
        match locale {
            Locale::Es => self.es,
            Locale::En => self.en,
        }
    }
}

/// Shorthand for a [`Text`]: Spanish first, then English.
const fn t(es: &'static str, en: &'static str) -> Text {
    Text { es, en }
}

/// One block of a template, before its texts are picked for a locale.
#[derive(Debug)]
enum Seed {
    Header(Text),
    Link { url: Text, title: Text },
    Booking { url: Text, title: Text, minutes: u16 },
    Payment { url: Text, title: Text, price: Text },
    Whatsapp { phone: Text, title: Text, message: Text },
    Lead { title: Text, button: Text, success: Text, consent: Text },
    Social(&'static [(SocialNetwork, Text)]),
}

impl Seed {
    fn config(&self, locale: Locale) -> BlockConfig {
        let s = |text: &Text| text.get(locale).to_owned();
        match self {
            Self::Header(text) => BlockConfig::Header(HeaderConfig { text: s(text) }),
            Self::Link { url, title } => {
                BlockConfig::Link(LinkConfig { url: s(url), title: s(title), thumbnail_url: None })
            }
            Self::Booking { url, title, minutes } => BlockConfig::BookingLink(BookingLinkConfig {
                url: s(url),
                title: s(title),
                duration_minutes: Some(*minutes),
            }),
            Self::Payment { url, title, price } => BlockConfig::PaymentLink(PaymentLinkConfig {
                url: s(url),
                title: s(title),
                price_label: Some(s(price)),
            }),
            Self::Whatsapp { phone, title, message } => BlockConfig::Whatsapp(WhatsappConfig {
                phone: s(phone),
                message: Some(s(message)),
                title: Some(s(title)),
            }),
            Self::Lead { title, button, success, consent } => BlockConfig::LeadCapture(LeadCaptureConfig {
                title: s(title),
                button_label: s(button),
                success_message: Some(s(success)),
                consent_text: Some(s(consent)),
            }),
            Self::Social(links) => BlockConfig::SocialRow(SocialRowConfig {
                links: links
                    .iter()
                    .map(|(network, url)| SocialLink { network: *network, url: s(url) })
                    .collect(),
            }),
        }
    }
}

/// One template of the gallery.
#[derive(Debug)]
pub struct Template {
    id: &'static str,
    preset: ThemePreset,
    name: Text,
    description: Text,
    title: Text,
    bio: Text,
    blocks: &'static [Seed],
}

impl Template {
    /// The stable id (`coach-ejecutivo`), as sent in `CreatePageInput::template_id`.
    #[must_use]
    pub const fn id(&self) -> &'static str {
        self.id
    }

    /// The gallery name (`Coach Ejecutivo` / `Executive Coach`).
    #[must_use]
    pub const fn name(&self, locale: Locale) -> &'static str {
        self.name.get(locale)
    }

    /// One sentence for the gallery: who the template is for.
    #[must_use]
    pub const fn description(&self, locale: Locale) -> &'static str {
        self.description.get(locale)
    }

    /// The path of the gallery thumbnail (`/static/templates/{id}.svg`).
    #[must_use]
    pub fn thumbnail(&self) -> String {
        format!("/static/templates/{}.svg", self.id)
    }

    /// The thumbnail itself: a small SVG compiled into the binary (served by the host at
    /// [`Template::thumbnail`], so it never depends on a deployed asset directory).
    #[must_use]
    pub fn thumbnail_svg(&self) -> &'static str {
        match self.id {
            "coach-ejecutivo" => include_str!("thumbnails/coach-ejecutivo.svg"),
            "wellness" => include_str!("thumbnails/wellness.svg"),
            "terapeuta" => include_str!("thumbnails/terapeuta.svg"),
            _ => include_str!("thumbnails/consultor-b2b.svg"),
        }
    }

    /// The theme a page made from this template starts with: the matching preset, no overrides.
    #[must_use]
    pub fn theme(&self) -> PageTheme {
        PageTheme::preset(self.preset)
    }

    /// A sample page title for the gallery (`Laura Méndez · Coach ejecutiva`); at most
    /// [`contracts::links::PAGE_TITLE_MAX`] characters.
    #[must_use]
    pub const fn title(&self, locale: Locale) -> &'static str {
        self.title.get(locale)
    }

    /// A sample bio written for the archetype; at most [`contracts::links::PAGE_BIO_MAX`]
    /// characters.
    #[must_use]
    pub const fn bio(&self, locale: Locale) -> &'static str {
        self.bio.get(locale)
    }

    /// The blocks a new page starts with, in order (they go at positions 10, 20, 30…). Each one
    /// passes [`BlockConfig::validate`].
    #[must_use]
    pub fn blocks(&self, locale: Locale) -> Vec<BlockConfig> {
        self.blocks.iter().map(|seed| seed.config(locale)).collect()
    }

    /// The gallery entry as the API sends it.
    #[must_use]
    pub fn view(&self, locale: Locale) -> TemplateView {
        TemplateView {
            id: self.id.to_owned(),
            name: self.name(locale).to_owned(),
            description: self.description(locale).to_owned(),
            thumbnail: self.thumbnail(),
        }
    }
}

/// Every template, in the gallery's order.
#[must_use]
pub fn all() -> &'static [Template] {
    &TEMPLATES
}

/// The template with this id.
#[must_use]
pub fn find(id: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|template| template.id == id)
}

/// Every template, in the gallery's order.
pub static TEMPLATES: [Template; 4] = [COACH_EJECUTIVO, WELLNESS, TERAPEUTA, CONSULTOR_B2B];

const COACH_EJECUTIVO: Template = Template {
    id: "coach-ejecutivo",
    preset: ThemePreset::Ejecutivo,
    name: t("Coach Ejecutivo", "Executive Coach"),
    description: t(
        "Sobria y elegante, para coaches de liderazgo que venden programas de alto valor a directivos.",
        "Polished and understated, for leadership coaches who sell high-value programs to executives.",
    ),
    title: t("Laura Méndez · Coach ejecutiva", "Laura Bennett · Executive Coach"),
    bio: t(
        "Acompaño a directivos y líderes de equipo a tomar mejores decisiones, comunicar con claridad \
         y crecer sin quemarse. Más de 12 años en empresas de América Latina. Coach certificada ICF (PCC).",
        "I help executives and team leaders make better decisions, communicate with clarity and grow \
         without burning out. 12+ years working with companies across the Americas. ICF-certified \
         coach (PCC).",
    ),
    blocks: &[
        Seed::Header(t("Trabaja conmigo", "Work with me")),
        Seed::Booking {
            url: t(
                "https://calendly.com/tu-usuario/diagnostico",
                "https://calendly.com/your-name/discovery-call",
            ),
            title: t("Agenda tu sesión de diagnóstico sin costo", "Book a free discovery session"),
            minutes: 30,
        },
        Seed::Payment {
            url: t("https://buy.stripe.com/tu-enlace", "https://buy.stripe.com/your-link"),
            title: t("Programa de liderazgo 1:1 (8 sesiones)", "1:1 Leadership Program (8 sessions)"),
            price: t("USD 1,200", "$1,200"),
        },
        Seed::Lead {
            title: t(
                "Guía gratuita: 5 conversaciones difíciles que todo líder debe dominar",
                "Free guide: 5 difficult conversations every leader should master",
            ),
            button: t("Quiero la guía", "Send me the guide"),
            success: t(
                "¡Listo! Revisa tu correo: la guía llega en unos minutos.",
                "Done! Check your inbox: the guide is on its way.",
            ),
            consent: t(
                "Acepto recibir correos de Laura Méndez. Tus datos son privados: no los comparto \
                 con nadie y puedes darte de baja cuando quieras.",
                "I agree to receive emails from Laura Bennett. Your data stays private: I never share \
                 it, and you can unsubscribe at any time.",
            ),
        },
        Seed::Whatsapp {
            phone: t("+5215512345678", "+15555550123"),
            title: t("Escríbeme por WhatsApp", "Message me on WhatsApp"),
            message: t(
                "Hola Laura, vi tu página y me interesa el programa de liderazgo. ¿Podemos hablar?",
                "Hi Laura, I saw your page and I'm interested in the leadership program. Can we talk?",
            ),
        },
        Seed::Link {
            url: t(
                "https://www.linkedin.com/in/tu-perfil/recent-activity/all/",
                "https://www.linkedin.com/in/your-profile/recent-activity/all/",
            ),
            title: t("Lee mis artículos sobre liderazgo", "Read my articles on leadership"),
        },
        Seed::Social(&[
            (
                SocialNetwork::Linkedin,
                t("https://www.linkedin.com/in/tu-perfil", "https://www.linkedin.com/in/your-profile"),
            ),
            (
                SocialNetwork::Youtube,
                t("https://www.youtube.com/@tu-canal", "https://www.youtube.com/@your-channel"),
            ),
        ]),
    ],
};

const WELLNESS: Template = Template {
    id: "wellness",
    preset: ThemePreset::Wellness,
    name: t("Wellness", "Wellness"),
    description: t(
        "Cálida y natural, para coaches de bienestar, nutrición o yoga que venden retos y programas.",
        "Warm and natural, for wellness, nutrition and yoga coaches who sell challenges and programs.",
    ),
    title: t("Sofía Ríos · Coach de bienestar", "Sophie Rivers · Wellness Coach"),
    bio: t(
        "Coach de bienestar integral y profesora de yoga. Te ayudo a crear hábitos de alimentación, \
         movimiento y descanso que sí se sostienen, sin dietas extremas ni culpa. Sesiones en línea \
         para toda Latinoamérica.",
        "Holistic wellness coach and yoga teacher. I help you build eating, movement and sleep habits \
         that actually stick, with no extreme diets and no guilt. Online sessions, wherever you are.",
    ),
    blocks: &[
        Seed::Booking {
            url: t("https://cal.com/tu-usuario/bienvenida", "https://cal.com/your-name/welcome-call"),
            title: t("Agenda tu llamada de bienvenida", "Book your welcome call"),
            minutes: 20,
        },
        Seed::Payment {
            url: t("https://buy.stripe.com/tu-enlace", "https://buy.stripe.com/your-link"),
            title: t("Reto de 21 días: hábitos que se quedan", "21-Day Challenge: habits that stick"),
            price: t("USD 49 · acceso inmediato", "$49 · instant access"),
        },
        Seed::Header(t("Recursos gratis", "Free resources")),
        Seed::Lead {
            title: t("Descarga mi plan de 7 desayunos saludables", "Get my 7-day healthy breakfast plan"),
            button: t("Enviármelo", "Send it to me"),
            success: t(
                "¡Gracias! Tu plan ya va camino a tu correo.",
                "Thank you! Your plan is on its way to your inbox.",
            ),
            consent: t(
                "Acepto recibir correos de Sofía con recetas y novedades. Cuido tus datos: nunca los \
                 comparto y puedes darte de baja en cualquier momento.",
                "I agree to receive emails from Sophie with recipes and news. Your data is safe with me: \
                 it is never shared, and you can unsubscribe at any time.",
            ),
        },
        Seed::Link {
            url: t("https://www.youtube.com/@tu-canal", "https://www.youtube.com/@your-channel"),
            title: t("Clases de yoga gratis en YouTube", "Free yoga classes on YouTube"),
        },
        Seed::Whatsapp {
            phone: t("+573001234567", "+15555550123"),
            title: t("Resuelve tus dudas por WhatsApp", "Questions? Chat on WhatsApp"),
            message: t(
                "Hola Sofía, quiero saber más sobre el reto de 21 días.",
                "Hi Sophie, I'd like to know more about the 21-day challenge.",
            ),
        },
        Seed::Social(&[
            (
                SocialNetwork::Instagram,
                t("https://www.instagram.com/tu-usuario", "https://www.instagram.com/your-name"),
            ),
            (
                SocialNetwork::Tiktok,
                t("https://www.tiktok.com/@tu-usuario", "https://www.tiktok.com/@your-name"),
            ),
            (
                SocialNetwork::Youtube,
                t("https://www.youtube.com/@tu-canal", "https://www.youtube.com/@your-channel"),
            ),
        ]),
    ],
};

const TERAPEUTA: Template = Template {
    id: "terapeuta",
    preset: ThemePreset::Terapia,
    name: t("Terapeuta", "Therapist"),
    description: t(
        "Serena y cercana, para psicólogos y terapeutas que atienden en línea o en consultorio.",
        "Calm and approachable, for psychologists and therapists who see clients online or in person.",
    ),
    title: t("Andrea Torres · Psicoterapeuta", "Andrea Collins · Psychotherapist"),
    bio: t(
        "Psicóloga clínica con enfoque cognitivo-conductual. Acompaño a adultos que atraviesan \
         ansiedad, estrés o un duelo, en un espacio seguro y sin juicios. Consulta en línea y \
         presencial en Ciudad de México.",
        "Licensed clinical psychologist with a cognitive-behavioural approach. I support adults \
         through anxiety, stress and grief in a safe, non-judgmental space. Sessions online and in \
         person in Austin, TX.",
    ),
    blocks: &[
        Seed::Header(t("Agenda tu espacio", "Book a session")),
        Seed::Booking {
            url: t(
                "https://calendly.com/tu-usuario/orientacion",
                "https://calendly.com/your-name/consultation",
            ),
            title: t("Llamada de orientación sin costo", "Free 15-minute consultation"),
            minutes: 15,
        },
        Seed::Payment {
            url: t("https://buy.stripe.com/tu-enlace", "https://buy.stripe.com/your-link"),
            title: t("Paquete de 4 sesiones de terapia", "Package of 4 therapy sessions"),
            price: t("USD 160 · 50 min cada una", "$480 · 50 min each"),
        },
        Seed::Whatsapp {
            phone: t("+5215512345678", "+15555550123"),
            title: t("Escríbeme por WhatsApp", "Message me on WhatsApp"),
            message: t(
                "Hola Andrea, me gustaría agendar una primera consulta. ¿Qué horarios tienes disponibles?",
                "Hi Andrea, I'd like to book a first session. What times do you have available?",
            ),
        },
        Seed::Link {
            url: t("https://tu-sitio.notion.site/preguntas-frecuentes", "https://your-site.notion.site/faq"),
            title: t("Preguntas frecuentes sobre la terapia", "What to expect from therapy (FAQ)"),
        },
        Seed::Lead {
            title: t(
                "Recibe cada mes herramientas para cuidar tu salud mental",
                "Get monthly tools to look after your mental health",
            ),
            button: t("Suscribirme", "Subscribe"),
            success: t(
                "Gracias por suscribirte. Te escribiré una vez al mes, sin saturar tu bandeja.",
                "Thanks for subscribing. I'll write once a month, never more.",
            ),
            consent: t(
                "Acepto recibir el boletín mensual. Tus datos son confidenciales: nunca los comparto \
                 y puedes darte de baja en cualquier momento.",
                "I agree to receive the monthly newsletter. Your data is kept confidential: it is never \
                 shared, and you can unsubscribe at any time.",
            ),
        },
        Seed::Social(&[
            (
                SocialNetwork::Instagram,
                t("https://www.instagram.com/tu-usuario", "https://www.instagram.com/your-name"),
            ),
            (
                SocialNetwork::Spotify,
                t("https://open.spotify.com/show/tu-podcast", "https://open.spotify.com/show/your-podcast"),
            ),
        ]),
    ],
};

const CONSULTOR_B2B: Template = Template {
    id: "consultor-b2b",
    preset: ThemePreset::Consultor,
    name: t("Consultor B2B", "B2B Consultant"),
    description: t(
        "Limpia y directa, para consultores que consiguen clientes empresariales con llamadas de diagnóstico.",
        "Clean and direct, for consultants who win business clients through discovery calls.",
    ),
    title: t("Diego Salinas · Consultor en ventas B2B", "David Sullivan · B2B Sales Consultant"),
    bio: t(
        "Ayudo a empresas de software y servicios B2B a ordenar su proceso comercial: pipeline, precios \
         y equipos de ventas que cierran. Más de 40 empresas acompañadas en México, Colombia y Chile. \
         Ex director comercial en SaaS.",
        "I help B2B software and services companies fix their sales process: pipeline, pricing and \
         sales teams that close. 40+ companies served across North and Latin America. Former VP of \
         Sales at a SaaS scale-up.",
    ),
    blocks: &[
        Seed::Booking {
            url: t("https://cal.com/tu-usuario/diagnostico", "https://cal.com/your-name/discovery-call"),
            title: t("Agenda una llamada de diagnóstico", "Book a discovery call"),
            minutes: 45,
        },
        Seed::Header(t("Servicios", "Services")),
        Seed::Payment {
            url: t("https://buy.stripe.com/tu-enlace", "https://buy.stripe.com/your-link"),
            title: t(
                "Auditoría comercial express (entrega en 5 días)",
                "Sales audit sprint (delivered in 5 days)",
            ),
            price: t("USD 1,500 · pago único", "$1,500 · one-time fee"),
        },
        Seed::Link {
            url: t("https://www.tu-empresa.com/casos-de-exito", "https://www.your-company.com/case-studies"),
            title: t("Casos de éxito con clientes", "Client case studies"),
        },
        Seed::Link {
            url: t("https://drive.google.com/file/d/tu-archivo", "https://drive.google.com/file/d/your-file"),
            title: t("Descarga el portafolio de servicios (PDF)", "Download the services deck (PDF)"),
        },
        Seed::Lead {
            title: t(
                "Newsletter: ventas B2B en 5 minutos, cada martes",
                "Newsletter: B2B sales in 5 minutes, every Tuesday",
            ),
            button: t("Suscribirme", "Subscribe"),
            success: t(
                "¡Gracias por suscribirte! El próximo martes recibirás la primera edición.",
                "Welcome aboard! Your first issue arrives next Tuesday.",
            ),
            consent: t(
                "Acepto recibir el newsletter. Uso tus datos solo para enviártelo, nunca los comparto con \
                 terceros y puedes darte de baja cuando quieras.",
                "I agree to receive the newsletter. Your data is used only to send it, never shared with \
                 third parties, and you can unsubscribe at any time.",
            ),
        },
        Seed::Whatsapp {
            phone: t("+56912345678", "+15555550123"),
            title: t("Contacto directo por WhatsApp", "Reach me on WhatsApp"),
            message: t(
                "Hola Diego, te escribo desde mi empresa. Nos interesa la auditoría comercial.",
                "Hi David, I'm reaching out on behalf of my company. We're interested in the sales audit.",
            ),
        },
        Seed::Social(&[
            (
                SocialNetwork::Linkedin,
                t("https://www.linkedin.com/in/tu-perfil", "https://www.linkedin.com/in/your-profile"),
            ),
            (SocialNetwork::X, t("https://x.com/tu-usuario", "https://x.com/your-name")),
            (SocialNetwork::Website, t("https://www.tu-empresa.com", "https://www.your-company.com")),
        ]),
    ],
};

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use contracts::blocks::BlockType;
    use contracts::links::{PAGE_BIO_MAX, PAGE_TITLE_MAX};
    use pretty_assertions::assert_eq;

    use super::*;

    #[test]
    fn every_block_validates_and_round_trips_in_every_locale() {
        for template in all() {
            for locale in Locale::ALL {
                let blocks = template.blocks(locale);
                let id = template.id();
                assert!((5..=8).contains(&blocks.len()), "{id}/{locale}: {} blocks", blocks.len());
                for (i, block) in blocks.iter().enumerate() {
                    block.validate().unwrap_or_else(|e| panic!("{id}/{locale} block {i}: {e:?}"));
                    let reparsed = BlockConfig::parse(block.kind().as_str(), block.config_json())
                        .unwrap_or_else(|e| panic!("{id}/{locale} block {i} does not re-parse: {e:?}"));
                    assert_eq!(&reparsed, block);
                }
            }
        }
    }

    #[test]
    fn ids_are_unique_and_findable() {
        let ids: HashSet<_> = all().iter().map(Template::id).collect();
        assert_eq!(ids.len(), all().len());
        assert_eq!(
            all().iter().map(Template::id).collect::<Vec<_>>(),
            ["coach-ejecutivo", "wellness", "terapeuta", "consultor-b2b"]
        );
        for template in all() {
            let found = find(template.id()).expect("found by its id");
            assert!(std::ptr::eq(found, template));
            assert_eq!(template.thumbnail(), format!("/static/templates/{}.svg", template.id()));
        }
        assert!(find("nope").is_none());
        assert!(find("").is_none());
        assert!(find("Wellness").is_none(), "ids are matched exactly");
    }

    #[test]
    fn gallery_texts_fit_the_page_limits() {
        for template in all() {
            for locale in Locale::ALL {
                let id = template.id();
                let (title, bio) = (template.title(locale), template.bio(locale));
                assert!(title.chars().count() <= PAGE_TITLE_MAX, "{id}/{locale} title: {title}");
                assert!(
                    bio.chars().count() <= PAGE_BIO_MAX,
                    "{id}/{locale} bio is {} chars",
                    bio.chars().count()
                );
                for text in [title, bio, template.name(locale), template.description(locale)] {
                    assert!(!text.trim().is_empty(), "{id}/{locale}: empty text");
                    assert!(!text.contains("  "), "{id}/{locale}: double space in {text:?}");
                    assert!(!text.chars().any(char::is_control), "{id}/{locale}: control char in {text:?}");
                }
                let view = template.view(locale);
                assert_eq!(view.id, id);
                assert_eq!(view.name, template.name(locale));
                assert_eq!(view.thumbnail, template.thumbnail());
            }
        }
    }

    #[test]
    fn themes_are_the_matching_presets_and_validate() {
        let presets: Vec<_> = all().iter().map(|t| t.theme().preset).collect();
        assert_eq!(presets, ThemePreset::ALL);
        for template in all() {
            assert_eq!(template.theme().validate(), Ok(()), "{}", template.id());
            assert_eq!(template.theme(), PageTheme::preset(template.theme().preset));
        }
    }

    #[test]
    fn each_template_shows_off_the_block_types() {
        for template in all() {
            for locale in Locale::ALL {
                let id = template.id();
                let blocks = template.blocks(locale);
                let count = |kind: BlockType| blocks.iter().filter(|b| b.kind() == kind).count();
                assert_eq!(count(BlockType::LeadCapture), 1, "{id}/{locale}: exactly one lead form");
                for kind in [
                    BlockType::Header,
                    BlockType::BookingLink,
                    BlockType::PaymentLink,
                    BlockType::Whatsapp,
                    BlockType::Link,
                    BlockType::SocialRow,
                ] {
                    assert!(count(kind) >= 1, "{id}/{locale}: no {kind}");
                }
                for block in &blocks {
                    match block {
                        BlockConfig::BookingLink(c) => {
                            assert!(c.duration_minutes.is_some(), "{id}: duration");
                        }
                        BlockConfig::PaymentLink(c) => assert!(c.price_label.is_some(), "{id}: price"),
                        BlockConfig::Whatsapp(c) => {
                            assert!(c.message.is_some() && c.title.is_some(), "{id}: WhatsApp texts");
                            assert!(c.chat_url().starts_with("https://wa.me/"), "{id}: chat url");
                        }
                        BlockConfig::LeadCapture(c) => {
                            assert!(c.success_message.is_some(), "{id}: success message");
                            let consent = c.consent_text.as_deref().expect("consent text");
                            let privacy = match locale {
                                Locale::Es => "datos",
                                Locale::En => "data",
                            };
                            assert!(consent.contains(privacy), "{id}/{locale}: consent must speak of data");
                        }
                        BlockConfig::SocialRow(c) => {
                            assert!(c.links.len() >= 2, "{id}: a couple of networks");
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    #[test]
    fn placeholder_urls_are_obvious() {
        for template in all() {
            for locale in Locale::ALL {
                for block in template.blocks(locale) {
                    let config = block.config_json();
                    let mut urls: Vec<&str> =
                        config.get("url").and_then(|u| u.as_str()).into_iter().collect();
                    if let Some(links) = config.get("links").and_then(|l| l.as_array()) {
                        urls.extend(links.iter().filter_map(|l| l.get("url")?.as_str()));
                    }
                    for url in urls {
                        assert!(url.starts_with("https://"), "{url}");
                        let marker = match locale {
                            Locale::Es => "tu-",
                            Locale::En => "your-",
                        };
                        assert!(
                            url.contains(marker),
                            "{}/{locale}: {url} is not an obvious placeholder",
                            template.id()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn spanish_and_english_differ() {
        for template in all() {
            let id = template.id();
            assert_ne!(template.description(Locale::Es), template.description(Locale::En), "{id}");
            assert_ne!(template.title(Locale::Es), template.title(Locale::En), "{id}");
            assert_ne!(template.bio(Locale::Es), template.bio(Locale::En), "{id}");
            let (es, en) = (template.blocks(Locale::Es), template.blocks(Locale::En));
            assert_eq!(
                es.iter().map(BlockConfig::kind).collect::<Vec<_>>(),
                en.iter().map(BlockConfig::kind).collect::<Vec<_>>(),
                "{id}: both languages have the same layout"
            );
            for (a, b) in es.iter().zip(&en) {
                if !matches!(a, BlockConfig::SocialRow(_)) {
                    assert_ne!(a.label(), b.label(), "{id}: {} is not translated", a.label());
                }
                assert_ne!(a, b, "{id}: a block is the same in both languages");
            }
        }
        assert_eq!(find("coach-ejecutivo").map(|t| t.name(Locale::En)), Some("Executive Coach"));
        assert_eq!(find("terapeuta").map(|t| t.name(Locale::Es)), Some("Terapeuta"));
        assert_eq!(find("consultor-b2b").map(|t| t.name(Locale::En)), Some("B2B Consultant"));
    }
}
