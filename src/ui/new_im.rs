//! The "New IM" form: writes to an extension, optionally with one case-data pair.

use gws_protocol::UserData;
use leptos::prelude::*;

use crate::ui::text_field::TextField;
use serde_json::Value;

use crate::runtime::WidgetContext;
use crate::state::{Event, NewImStatus};
use crate::ui::dialog::{Dialog, Dialogs};

#[component]
pub fn NewImDialog() -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let dialogs = expect_context::<Dialogs>();
    let t = expect_context::<crate::i18n::I18n>().texts;
    let status = Memo::new(move |_| ctx.model.with(|m| m.new_im.clone()));
    // An earlier dialog's failure is not this one's.
    let submitted = RwSignal::new(false);
    let extension = RwSignal::new(String::new());
    let case_key = RwSignal::new(String::new());
    let case_value = RwSignal::new(String::new());

    // Accepted: the request went from Sending back to Idle.
    Effect::new(move |previous: Option<NewImStatus>| {
        let current = status.get();
        if previous == Some(NewImStatus::Sending) && current == NewImStatus::Idle {
            dialogs.close();
        }
        current
    });
    let sending = move || status.with(|s| *s == NewImStatus::Sending);
    let failure = move || match status.get() {
        NewImStatus::Failed(reason) if submitted.get() => {
            Some(crate::i18n::format::problem_text(&reason, t))
        }
        _ => None,
    };
    let start = move || {
        if sending() {
            return;
        }
        submitted.set(true);
        let key = case_key.get_untracked();
        let user_data = if key.trim().is_empty() {
            UserData::new()
        } else {
            UserData::from_iter([(
                key.trim().to_owned(),
                Value::String(case_value.get_untracked()),
            )])
        };
        ctx.dispatch.run(Event::StartNewIm {
            destination: extension.get_untracked(),
            user_data,
        });
    };
    let extension_id = crate::ui::unique_id("new-im-extension");

    view! {
        <Dialog title=t.new_im.to_owned()>
            <form
                class="imw-form"
                on:submit=move |event| {
                    event.prevent_default();
                    start();
                }
            >
                <div class="imw-field">
                    <label class="imw-field__label" for=extension_id.clone()>
                        {t.extension}
                    </label>
                    <input
                        id=extension_id
                        class="imw-input"
                        type="text"
                        inputmode="tel"
                        autocomplete="off"
                        dir="ltr"
                        data-imw-autofocus="true"
                        bind:value=extension
                    />
                </div>
                <fieldset class="imw-form__group">
                    <legend class="imw-form__legend">{t.case_data_optional}</legend>
                    <TextField label=t.case_data_key value=case_key id_prefix="new-im-key" />
                    <TextField label=t.case_data_value value=case_value id_prefix="new-im-value" />
                </fieldset>
                {move || {
                    failure()
                        .map(|reason| {
                            view! {
                                <p class="imw-form__error" role="alert">
                                    {reason}
                                </p>
                            }
                        })
                }}
                <div class="imw-dialog__actions">
                    <button
                        type="submit"
                        class="imw-button imw-button--primary"
                        aria-disabled=move || sending().then_some("true")
                        aria-busy=move || sending().then_some("true")
                    >
                        {move || if sending() { t.starting } else { t.start_im }}
                    </button>
                    <button type="button" class="imw-button" on:click=move |_| dialogs.close()>
                        {t.cancel}
                    </button>
                </div>
            </form>
        </Dialog>
    }
}
