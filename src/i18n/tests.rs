use super::*;

fn langs(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn the_configured_locale_wins_then_the_browser_then_english() {
    let browser = langs(&["fr-FR", "de-AT", "en"]);
    assert_eq!(Locale::negotiate(Some("ar"), &browser), Locale::Ar);
    assert_eq!(Locale::negotiate(Some(" AR-eg "), &[]), Locale::Ar);
    assert_eq!(Locale::negotiate(None, &browser), Locale::De);
    assert_eq!(Locale::negotiate(Some("fr"), &browser), Locale::De);
    assert_eq!(Locale::negotiate(None, &langs(&["fr", "ja"])), Locale::En);
    assert_eq!(Locale::negotiate(None, &[]), Locale::En);
    assert_eq!(Locale::negotiate(Some("de_CH"), &[]), Locale::De);
    assert_eq!(Locale::negotiate(Some(""), &langs(&["ar-SA"])), Locale::Ar);
    assert_eq!(Locale::Ar.dir(), "rtl");
    assert_eq!(Locale::De.dir(), "ltr");
    assert_eq!(Locale::Ar.tag(), "ar");
}

#[test]
fn times_use_the_tag_that_chose_the_language_when_well_formed() {
    let browser = langs(&["en-GB", "de-DE"]);
    assert_eq!(Locale::En.format_tag(None, &browser), "en-GB");
    assert_eq!(Locale::De.format_tag(Some("de-CH"), &browser), "de-CH");
    assert_eq!(Locale::Ar.format_tag(Some("ar-EG"), &browser), "ar-EG");
    assert_eq!(Locale::Ar.format_tag(Some("ar-!!"), &[]), "ar");
    assert_eq!(Locale::En.format_tag(None, &langs(&["fr"])), "en");
    assert_eq!(Locale::De.format_tag(Some("de_DE"), &[]), "de");
}

#[test]
fn plural_forms_are_one_and_other_for_english_and_german_and_arabic_words_its_messages_without() {
    assert_eq!(Locale::En.plural(1), PluralForm::One);
    assert_eq!(Locale::En.plural(0), PluralForm::Other);
    assert_eq!(Locale::De.plural(1), PluralForm::One);
    assert_eq!(Locale::De.plural(2), PluralForm::Other);
    assert_eq!(Locale::Ar.plural(1), PluralForm::Other);
    let badge = Locale::De.texts().unread_badge;
    assert_eq!(
        fill(badge.pick(Locale::De.plural(1)), &[("count", "1")]),
        "1 neue Nachricht"
    );
    assert_eq!(
        fill(badge.pick(Locale::De.plural(3)), &[("count", "3")]),
        "3 neue Nachrichten"
    );
}

#[test]
fn placeholders_are_filled_by_name_and_unknown_ones_stay() {
    assert_eq!(
        fill(
            "{action} failed. {reason}",
            &[("reason", "R"), ("action", "A")]
        ),
        "A failed. R"
    );
    assert_eq!(fill("{x} and {", &[]), "{x} and {");
    assert_eq!(fill("كتب {party}", &[("party", "3002")]), "كتب 3002");
    assert_eq!(around("{party} wrote at ", "party"), ("", " wrote at "));
    assert_eq!(around("no value", "party"), ("no value", ""));
    assert_eq!(capitalised("der Partner"), "Der Partner");
    assert_eq!(capitalised("الطرف"), "الطرف");
    assert_eq!(capitalised(""), "");
}

/// The placeholders of a template, sorted.
fn placeholders(template: &str) -> Vec<String> {
    let mut names: Vec<String> = template
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name.to_owned()))
        .collect();
    names.sort();
    names
}

/// Every message of a catalogue, in field order (kept in step with `Texts` by the destructuring).
fn all(texts: &'static Texts) -> Vec<&'static str> {
    let Texts {
        widget,
        crashed,
        signed_out_notice,
        new_im,
        shortcuts,
        connecting,
        connected,
        reconnecting,
        offline,
        signed_out,
        signed_out_banner,
        unread_total,
        enable_alerts,
        mute_alerts,
        alerts_muted,
        menu,
        alert_message_title,
        alert_message_body,
        alert_ring_title,
        alert_ring_body,
        dismiss_message,
        loading,
        load_failed,
        try_again,
        no_sessions,
        none_match,
        sessions,
        filter_all,
        filter_active,
        filter_completed,
        show_sessions,
        search_sessions,
        search_placeholder,
        unknown_party,
        fresh,
        unread_badge,
        new_messages,
        state_initiating,
        state_alerting,
        state_talking,
        state_completed,
        state_unknown,
        just_now,
        seconds,
        minutes,
        hours,
        waiting,
        wait_warning,
        wait_urgent,
        select_session,
        part_loading,
        part_failed,
        chat_with,
        messages,
        no_messages,
        they_wrote_at,
        you_wrote_at,
        queued,
        sending,
        sent,
        not_sent,
        checking_delivery,
        not_delivered,
        maybe_delivered,
        retry,
        discard,
        gap,
        notice_calling,
        notice_alerting,
        notice_talking,
        notice_ended,
        notice_state,
        the_other_party,
        end_session,
        ending,
        dismiss,
        wait_for_request,
        message,
        send,
        composer_hint,
        canned_responses,
        no_canned_match,
        end_title,
        end_question,
        keep_open,
        extension,
        case_data_optional,
        case_data_key,
        case_data_value,
        starting,
        start_im,
        cancel,
        case_data,
        today,
        yesterday,
        no_case_data,
        case_data_count,
        edit_case_data,
        done_editing,
        show_more_keys,
        show_earlier,
        key,
        value,
        actions,
        value_of,
        save_key,
        remove_key,
        saving,
        removing,
        adding,
        new_key,
        new_value,
        add,
        close,
        shortcut_next,
        shortcut_previous,
        shortcut_unread,
        shortcut_send,
        shortcut_new_line,
        shortcut_canned,
        shortcut_choose,
        keys_choose,
        shortcut_escape,
        canned,
        session_ended,
        cannot_send,
        cannot_end,
        cannot_change_case_data,
        no_number,
        no_device,
        empty_key,
        empty_extension,
        one_session_at_a_time,
        action_failed,
        action_send,
        action_attach,
        action_update,
        action_delete,
        action_complete,
        refresh_failed,
        storage_refused,
        error_network,
        error_signed_out,
        error_csrf,
        error_missing,
        error_invalid_state,
        error_not_allowed,
        error_server,
        error_not_found,
        error_signed_out_short,
        error_refused,
        error_gws,
        error_gws_message,
        error_http,
        error_decode,
        you,
        copy_transcript,
        ended_at,
        session_over,
        transcript_copied,
        transcript_not_copied,
    } = texts;
    let mut list = vec![
        *widget,
        crashed,
        signed_out_notice,
        new_im,
        shortcuts,
        connecting,
        connected,
        reconnecting,
        offline,
        signed_out,
        signed_out_banner,
        unread_total,
        enable_alerts,
        mute_alerts,
        alerts_muted,
        menu,
        alert_message_title,
        alert_message_body,
        alert_ring_title,
        alert_ring_body,
        dismiss_message,
        loading,
        load_failed,
        try_again,
        no_sessions,
        none_match,
        sessions,
        filter_all,
        filter_active,
        filter_completed,
        show_sessions,
        search_sessions,
        search_placeholder,
        unknown_party,
        fresh,
        unread_badge.one,
        unread_badge.other,
        new_messages.one,
        new_messages.other,
        state_initiating,
        state_alerting,
        state_talking,
        state_completed,
        state_unknown,
        just_now,
        seconds,
        minutes,
        hours,
        waiting,
        wait_warning,
        wait_urgent,
        select_session,
        part_loading,
        part_failed,
        chat_with,
        messages,
        no_messages,
        they_wrote_at,
        you_wrote_at,
        queued,
        sending,
        sent,
        not_sent,
        checking_delivery,
        not_delivered,
        maybe_delivered,
        retry,
        discard,
        gap,
        notice_calling,
        notice_alerting,
        notice_talking,
        notice_ended,
        notice_state,
        the_other_party,
        end_session,
        ending,
        dismiss,
        wait_for_request,
        message,
        send,
        composer_hint,
        canned_responses,
        no_canned_match,
        end_title,
        end_question,
        keep_open,
        extension,
        case_data_optional,
        case_data_key,
        case_data_value,
        starting,
        start_im,
        cancel,
        case_data,
        today,
        yesterday,
        no_case_data,
        case_data_count,
        edit_case_data,
        done_editing,
        show_more_keys,
        show_earlier,
        key,
        value,
        actions,
        value_of,
        save_key,
        remove_key,
        saving,
        removing,
        adding,
        new_key,
        new_value,
        add,
        close,
        shortcut_next,
        shortcut_previous,
        shortcut_unread,
        shortcut_send,
        shortcut_new_line,
        shortcut_canned,
        shortcut_choose,
        keys_choose,
        shortcut_escape,
        session_ended,
        cannot_send,
        cannot_end,
        cannot_change_case_data,
        no_number,
        no_device,
        empty_key,
        empty_extension,
        one_session_at_a_time,
        action_failed,
        action_send,
        action_attach,
        action_update,
        action_delete,
        action_complete,
        refresh_failed,
        storage_refused,
        error_network,
        error_signed_out,
        error_csrf,
        error_missing,
        error_invalid_state,
        error_not_allowed,
        error_server,
        error_not_found,
        error_signed_out_short,
        error_refused,
        error_gws,
        error_gws_message,
        error_http,
        error_decode,
        you,
        copy_transcript,
        ended_at,
        session_over,
        transcript_copied,
        transcript_not_copied,
    ];
    for (title, text) in canned {
        list.push(title);
        list.push(text);
    }
    list
}

#[test]
fn every_language_uses_the_placeholders_of_english_and_leaves_nothing_blank() {
    let english = all(Locale::En.texts());
    for locale in [Locale::De, Locale::Ar] {
        let other = all(locale.texts());
        assert_eq!(other.len(), english.len());
        for (en, translated) in english.iter().zip(&other) {
            assert_eq!(
                placeholders(en),
                placeholders(translated),
                "{locale:?}: {en:?} vs {translated:?}"
            );
            assert!(
                !translated.trim().is_empty(),
                "{locale:?}: blank for {en:?}"
            );
        }
    }
}
