//! `/admin/jobs`: the dead letters — background jobs and outbox events that failed their last
//! attempt — why (the error) and with what (the payload), each with a button that puts it back:
//! a job is queued again, an event is replayed to the subscribers still missing it.

use crate::components::form::describe;
use crate::components::head::PageTitle;
use contracts::platform::{DeadEventView, DeadJobView};
use contracts::{ApiError, Locale};
use leptos::either::Either;
use leptos::prelude::*;

use crate::api::admin::{AdminReplayEvent, AdminRetryJob, admin_dead_events, admin_dead_jobs};
use crate::components::moment::Moment;
use crate::i18n::tr;
use crate::pages::admin::{AdminCtx, Loading, loaded};

/// The dead letters screen: dead jobs, then dead events.
#[component]
pub fn Page() -> impl IntoView {
    let locale = expect_context::<AdminCtx>().locale;
    let jobs = Resource::new(|| (), |()| admin_dead_jobs());
    let events = Resource::new(|| (), |()| admin_dead_events());
    view! {
        <PageTitle text=tr(locale, "Fallos — admin — mibio", "Dead letters — admin — mibio") />
        <h1>{tr(locale, "Fallos", "Dead letters")}</h1>
        <section aria-labelledby="dead-jobs-title">
            <h2 class="adm-h2" id="dead-jobs-title">{tr(locale, "Tareas fallidas", "Dead jobs")}</h2>
            <p class="lede-sm">{tr(locale,
                "Tareas en segundo plano que agotaron sus reintentos. Revisa el error y vuelve a ponerlas en cola cuando la causa esté resuelta.",
                "Background jobs that ran out of retries. Read the error, fix the cause, then queue them again.")}</p>
            <Suspense fallback=move || view! { <Loading locale /> }>
                {move || loaded(jobs.get(), locale, move |list| view! { <JobList list locale /> })}
            </Suspense>
        </section>
        <section aria-labelledby="dead-events-title">
            <h2 class="adm-h2" id="dead-events-title">{tr(locale, "Eventos sin entregar", "Dead events")}</h2>
            <p class="lede-sm">{tr(locale,
                "Eventos que algún suscriptor no pudo procesar tras agotar sus reintentos. Al reenviarlos, solo los reciben los suscriptores que aún no los tienen.",
                "Events some subscriber could not take after every retry. A replay delivers them only to the subscribers still missing them.")}</p>
            <Suspense fallback=move || view! { <Loading locale /> }>
                {move || loaded(events.get(), locale, move |list| view! { <EventList list locale /> })}
            </Suspense>
        </section>
    }
}

#[component]
fn JobList(list: Vec<DeadJobView>, locale: Locale) -> impl IntoView {
    let retry = ServerAction::<AdminRetryJob>::new();
    let run = Callback::new(move |id: String| {
        retry.dispatch(AdminRetryJob { id });
    });
    let ctx = PutBack::new(move || retry.value().get(), run, locale);
    let letters = list
        .into_iter()
        .map(|job| DeadLetter {
            id: job.id,
            title: job.name,
            producer: None,
            attempts: job.attempts,
            last_error: job.last_error,
            payload: job.payload,
            started: (tr(locale, "Creada: ", "Created: "), job.created_at),
            failed_at: job.failed_at,
        })
        .collect();
    view! { <Letters letters kind=Kind::job(locale) ctx /> }
}

#[component]
fn EventList(list: Vec<DeadEventView>, locale: Locale) -> impl IntoView {
    let replay = ServerAction::<AdminReplayEvent>::new();
    let run = Callback::new(move |id: String| {
        replay.dispatch(AdminReplayEvent { id });
    });
    let ctx = PutBack::new(move || replay.value().get(), run, locale);
    let letters = list
        .into_iter()
        .map(|event| DeadLetter {
            id: event.id,
            title: event.event_type,
            producer: Some(event.producer),
            attempts: event.attempts,
            last_error: event.last_error,
            payload: event.payload,
            started: (tr(locale, "Ocurrió: ", "Occurred: "), event.occurred_at),
            failed_at: event.failed_at,
        })
        .collect();
    view! { <Letters letters kind=Kind::event(locale) ctx /> }
}

#[component]
fn Letters(letters: Vec<DeadLetter>, kind: Kind, ctx: PutBack) -> impl IntoView {
    if letters.is_empty() {
        return Either::Left(view! { <p class="empty-state" data-testid=kind.empty_testid>{kind.empty}</p> });
    }
    Either::Right(view! {
        <ul class="adm-jobs" data-testid=kind.list_testid>
            {letters.into_iter().map(|letter| view! { <LetterCard letter kind ctx /> }).collect_view()}
        </ul>
    })
}

/// A dead job or event, as its card shows it.
struct DeadLetter {
    id: String,
    /// The job's name or the event's type.
    title: String,
    /// The context that recorded the event (events only).
    producer: Option<String>,
    attempts: i32,
    last_error: Option<String>,
    payload: serde_json::Value,
    /// When it was created (a job) or happened (an event), with its label.
    started: (&'static str, String),
    failed_at: String,
}

/// What tells the two lists apart: their test ids and their words.
#[derive(Clone, Copy)]
struct Kind {
    list_testid: &'static str,
    empty_testid: &'static str,
    card_testid: &'static str,
    button_testid: &'static str,
    empty: &'static str,
    payload: &'static str,
    button: &'static str,
    busy: &'static str,
    done: &'static str,
}

impl Kind {
    fn job(locale: Locale) -> Self {
        Self {
            list_testid: "dead-jobs",
            empty_testid: "jobs-empty",
            card_testid: "dead-job",
            button_testid: "retry-job",
            empty: tr(
                locale,
                "No hay tareas fallidas: todo está en marcha.",
                "No dead jobs: everything is running.",
            ),
            payload: tr(locale, "Datos de la tarea", "Payload"),
            button: tr(locale, "Reintentar", "Retry"),
            busy: tr(locale, "Reintentando…", "Retrying…"),
            done: tr(locale, "En cola de nuevo.", "Queued again."),
        }
    }

    fn event(locale: Locale) -> Self {
        Self {
            list_testid: "dead-events",
            empty_testid: "events-empty",
            card_testid: "dead-event",
            button_testid: "replay-event",
            empty: tr(
                locale,
                "No hay eventos sin entregar: todos llegaron a sus suscriptores.",
                "No dead events: every one reached its subscribers.",
            ),
            payload: tr(locale, "Datos del evento", "Payload"),
            button: tr(locale, "Reenviar", "Replay"),
            busy: tr(locale, "Reenviando…", "Replaying…"),
            done: tr(
                locale,
                "Reenviado: se entregará en unos segundos.",
                "Replayed: it will be delivered within seconds.",
            ),
        }
    }
}

/// The state of one list's "put it back" buttons: the letter in flight, those put back, and the
/// last failure (id, message).
#[derive(Clone, Copy)]
struct PutBack {
    run: Callback<String>,
    running: RwSignal<Option<String>>,
    done: RwSignal<Vec<String>>,
    failed: RwSignal<Option<(String, String)>>,
    locale: Locale,
}

impl PutBack {
    /// Follows the `result` of the server action that `run` dispatches.
    fn new(
        result: impl Fn() -> Option<Result<(), ApiError>> + 'static,
        run: Callback<String>,
        locale: Locale,
    ) -> Self {
        let running = RwSignal::new(None::<String>);
        let done = RwSignal::new(Vec::<String>::new());
        let failed = RwSignal::new(None::<(String, String)>);
        Effect::new(move |_| {
            let Some(result) = result() else { return };
            let id = running.get_untracked().unwrap_or_default();
            running.set(None);
            match result {
                Ok(()) => done.update(|d| d.push(id)),
                Err(err) => failed.set(Some((id, describe(&err, locale)))),
            }
        });
        Self { run, running, done, failed, locale }
    }
}

#[component]
fn LetterCard(letter: DeadLetter, kind: Kind, ctx: PutBack) -> impl IntoView {
    let PutBack { run, running, done, failed, locale } = ctx;
    let id = letter.id.clone();
    let is_running = {
        let id = id.clone();
        Memo::new(move |_| running.with(|r| r.as_deref() == Some(id.as_str())))
    };
    let is_done = {
        let id = id.clone();
        Memo::new(move |_| done.with(|d| d.contains(&id)))
    };
    let error = {
        let id = id.clone();
        Memo::new(move |_| failed.with(|f| f.as_ref().filter(|(who, _)| *who == id).map(|(_, m)| m.clone())))
    };
    let payload =
        serde_json::to_string_pretty(&letter.payload).unwrap_or_else(|_| letter.payload.to_string());
    let attempts = match locale {
        Locale::Es if letter.attempts == 1 => "1 intento".to_owned(),
        Locale::Es => format!("{} intentos", letter.attempts),
        Locale::En if letter.attempts == 1 => "1 attempt".to_owned(),
        Locale::En => format!("{} attempts", letter.attempts),
    };
    let heading = format!("{}-{id}", kind.card_testid);
    let on_click = move |_| {
        failed.set(None);
        running.set(Some(id.clone()));
        run.run(id.clone());
    };
    let (started_label, started_at) = letter.started;
    let producer = letter.producer.map(|p| {
        view! { " · " {tr(locale, "Origen: ", "Producer: ")} <code>{p}</code> }
    });
    view! {
        <li class="card adm-job" data-testid=kind.card_testid>
            <div class="adm-job-head">
                <h3 id=heading><code>{letter.title}</code></h3>
                <span class="badge badge-off">{attempts}</span>
            </div>
            <p class="adm-job-meta">
                {tr(locale, "Falló: ", "Failed: ")}<Moment at=letter.failed_at locale />
                " · "
                {started_label}<Moment at=started_at locale />
                {producer}
            </p>
            <h4 class="adm-h3">{tr(locale, "Error", "Error")}</h4>
            <pre class="adm-pre adm-error">{letter.last_error.unwrap_or_else(|| tr(locale, "(sin mensaje)", "(no message)").to_owned())}</pre>
            <details class="adm-details">
                <summary>{kind.payload}</summary>
                <pre class="adm-pre">{payload}</pre>
            </details>
            <div class="form-actions">
                {move || if is_done.get() {
                    Either::Left(view! { <p class="notice notice-success adm-queued" role="status">{kind.done}</p> })
                } else {
                    Either::Right(view! {
                        <button type="button" class="button button-quiet" data-testid=kind.button_testid
                            disabled=move || running.with(Option::is_some) aria-busy=move || is_running.get().to_string()
                            on:click=on_click.clone()>
                            {move || if is_running.get() { kind.busy } else { kind.button }}
                        </button>
                    })
                }}
            </div>
            <p class="field-error row-note" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get().unwrap_or_default()}</p>
        </li>
    }
}
