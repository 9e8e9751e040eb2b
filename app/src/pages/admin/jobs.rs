//! `/admin/jobs`: the background jobs that failed their last attempt — why (the error) and with
//! what (the payload) — each with a button that queues it again.

use crate::components::form::describe;
use crate::components::head::PageTitle;
use contracts::Locale;
use contracts::platform::DeadJobView;
use leptos::either::Either;
use leptos::prelude::*;

use crate::api::admin::{AdminRetryJob, admin_dead_jobs};
use crate::components::moment::Moment;
use crate::i18n::tr;
use crate::pages::admin::{AdminCtx, Loading, loaded};

/// The dead jobs screen.
#[component]
pub fn Page() -> impl IntoView {
    let locale = expect_context::<AdminCtx>().locale;
    let jobs = Resource::new(|| (), |()| admin_dead_jobs());
    view! {
        <PageTitle text=tr(locale, "Tareas fallidas — admin — mibio", "Dead jobs — admin — mibio") />
        <h1>{tr(locale, "Tareas fallidas", "Dead jobs")}</h1>
        <p class="lede-sm">{tr(locale,
            "Tareas en segundo plano que agotaron sus reintentos. Revisa el error y vuelve a ponerlas en cola cuando la causa esté resuelta.",
            "Background jobs that ran out of retries. Read the error, fix the cause, then queue them again.")}</p>
        <Suspense fallback=move || view! { <Loading locale /> }>
            {move || loaded(jobs.get(), locale, move |list| view! { <JobList list locale /> })}
        </Suspense>
    }
}

#[component]
fn JobList(list: Vec<DeadJobView>, locale: Locale) -> impl IntoView {
    if list.is_empty() {
        return Either::Left(view! {
            <p class="empty-state" data-testid="jobs-empty">{tr(locale, "No hay tareas fallidas: todo está en marcha.", "No dead jobs: everything is running.")}</p>
        });
    }
    let retry = ServerAction::<AdminRetryJob>::new();
    // The job being retried, those queued again, and the last failure (job id, message).
    let running = RwSignal::new(None::<String>);
    let queued = RwSignal::new(Vec::<String>::new());
    let failed = RwSignal::new(None::<(String, String)>);
    Effect::new(move |_| {
        let Some(result) = retry.value().get() else { return };
        let id = running.get_untracked().unwrap_or_default();
        running.set(None);
        match result {
            Ok(()) => queued.update(|q| q.push(id)),
            Err(err) => failed.set(Some((id, describe(&err, locale)))),
        }
    });
    let ctx = RetryCtx { retry, running, queued, failed, locale };
    Either::Right(view! {
        <ul class="adm-jobs" data-testid="dead-jobs">
            {list.into_iter().map(|job| view! { <JobCard job ctx /> }).collect_view()}
        </ul>
    })
}

#[derive(Clone, Copy)]
struct RetryCtx {
    retry: ServerAction<AdminRetryJob>,
    running: RwSignal<Option<String>>,
    queued: RwSignal<Vec<String>>,
    failed: RwSignal<Option<(String, String)>>,
    locale: Locale,
}

#[component]
fn JobCard(job: DeadJobView, ctx: RetryCtx) -> impl IntoView {
    let RetryCtx { retry, running, queued, failed, locale } = ctx;
    let id = job.id.clone();
    let is_running = {
        let id = id.clone();
        Memo::new(move |_| running.with(|r| r.as_deref() == Some(id.as_str())))
    };
    let is_queued = {
        let id = id.clone();
        Memo::new(move |_| queued.with(|q| q.contains(&id)))
    };
    let error = {
        let id = id.clone();
        Memo::new(move |_| failed.with(|f| f.as_ref().filter(|(who, _)| *who == id).map(|(_, m)| m.clone())))
    };
    let payload = serde_json::to_string_pretty(&job.payload).unwrap_or_else(|_| job.payload.to_string());
    let attempts = match locale {
        Locale::Es if job.attempts == 1 => "1 intento".to_owned(),
        Locale::Es => format!("{} intentos", job.attempts),
        Locale::En if job.attempts == 1 => "1 attempt".to_owned(),
        Locale::En => format!("{} attempts", job.attempts),
    };
    let heading = format!("job-{id}");
    let on_retry = move |_| {
        failed.set(None);
        running.set(Some(id.clone()));
        retry.dispatch(AdminRetryJob { id: id.clone() });
    };
    view! {
        <li class="card adm-job" data-testid="dead-job">
            <div class="adm-job-head">
                <h2 id=heading><code>{job.name.clone()}</code></h2>
                <span class="badge badge-off">{attempts}</span>
            </div>
            <p class="adm-job-meta">
                {tr(locale, "Falló: ", "Failed: ")}<Moment at=job.failed_at.clone() locale />
                " · "
                {tr(locale, "Creada: ", "Created: ")}<Moment at=job.created_at.clone() locale />
            </p>
            <h3 class="adm-h3">{tr(locale, "Error", "Error")}</h3>
            <pre class="adm-pre adm-error">{job.last_error.clone().unwrap_or_else(|| tr(locale, "(sin mensaje)", "(no message)").to_owned())}</pre>
            <details class="adm-details">
                <summary>{tr(locale, "Datos de la tarea", "Payload")}</summary>
                <pre class="adm-pre">{payload}</pre>
            </details>
            <div class="form-actions">
                {move || if is_queued.get() {
                    Either::Left(view! { <p class="notice notice-success adm-queued" role="status">{tr(locale, "En cola de nuevo.", "Queued again.")}</p> })
                } else {
                    Either::Right(view! {
                        <button type="button" class="button button-quiet" data-testid="retry-job"
                            disabled=move || running.with(Option::is_some) aria-busy=move || is_running.get().to_string()
                            on:click=on_retry.clone()>
                            {move || if is_running.get() { tr(locale, "Reintentando…", "Retrying…") } else { tr(locale, "Reintentar", "Retry") }}
                        </button>
                    })
                }}
            </div>
            <p class="field-error row-note" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get().unwrap_or_default()}</p>
        </li>
    }
}
