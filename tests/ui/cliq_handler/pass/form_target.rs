//! A derived form names its submit handler (the function taking `Submission<Form>`), under any
//! path to `Submission`; a function served elsewhere is named explicitly.
use cliq_webhook::extract::{self, Submission};
use cliq_webhook::message::CliqForm;
use cliq_webhook::{cliq_handler, ExternalFunction, Reply};


#[derive(CliqForm)]
struct Deploy {
    service: String,
}

#[derive(CliqForm)]
struct Rollback {
    release: String,
}

#[cliq_handler(component = function, type = "form_submit_handler", name = "deploy")]
async fn deploy(Submission(d): Submission<Deploy>) -> Reply {
    Reply::text(d.service)
}

#[cliq_handler(component = function, type = "form_submit_handler", name = "rollback")]
async fn rollback(extract::Submission(r): extract::Submission<Rollback>) -> Reply {
    Reply::text(r.release)
}

fn main() {
    let deploy_form = Deploy::form(deploy {});
    assert!(matches!(
        deploy_form.action,
        cliq_webhook::message::FormAction::InvokeFunction(f) if f.name == "deploy"
    ));
    let _ = Rollback::form(rollback {});
    let _ = Rollback::form(&rollback {});
    let _ = Deploy::form(ExternalFunction("deploy_elsewhere"));
}
