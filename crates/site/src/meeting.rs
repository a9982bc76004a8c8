//! The meeting card's texts in every supported locale. The server sends them with the
//! slots, so the widget's wasm carries none of them (the card's code loads only when a
//! visitor reaches a meeting card: the widget's meeting part).

use serde::Serialize;

#[derive(Clone, Copy, Debug, Serialize)]
pub struct MeetingTexts {
    /// The title of the page behind an invitation's link.
    pub your_meeting: &'static str,
    pub days: &'static str,
    pub times: &'static str,
    pub earlier: &'static str,
    pub later: &'static str,
    pub name: &'static str,
    pub email: &'static str,
    pub book: &'static str,
    pub booking: &'static str,
    pub booked: &'static str,
    pub with: &'static str,
    pub your_time: &'static str,
    pub add_to_calendar: &'static str,
    pub reschedule: &'static str,
    pub cancel: &'static str,
    pub cancelled: &'static str,
    pub keep: &'static str,
    pub confirm_cancel: &'static str,
    pub taken: &'static str,
    pub unreachable: &'static str,
    pub retry: &'static str,
    pub continue_: &'static str,
    pub invalid_email: &'static str,
    pub required: &'static str,
}

pub fn texts(locale: &str) -> &'static MeetingTexts {
    crate::locale::pick(locale, [&EN, &PT, &IT, &SV, &ZH_HANS])
}

pub const EN: MeetingTexts = MeetingTexts {
    your_meeting: "Your meeting",
    days: "Choose a day",
    times: "Times on {day}",
    earlier: "Earlier days",
    later: "Later days",
    name: "Name",
    email: "Email",
    book: "Book {time}",
    booking: "Booking…",
    booked: "Booked: {time}",
    with: "with {host}",
    your_time: "your time",
    add_to_calendar: "Add to calendar",
    reschedule: "Reschedule",
    cancel: "Cancel meeting",
    cancelled: "The meeting is cancelled.",
    keep: "Keep it",
    confirm_cancel: "Cancel the meeting on {time}?",
    taken: "That time was just taken. These times are free now:",
    unreachable: "The calendar cannot be reached right now.",
    retry: "Try again",
    continue_: "Continue",
    invalid_email: "Enter an email address like name@example.com.",
    required: "Please fill this in.",
};

pub const PT: MeetingTexts = MeetingTexts {
    your_meeting: "A sua reunião",
    days: "Escolha um dia",
    times: "Horários em {day}",
    earlier: "Dias anteriores",
    later: "Dias seguintes",
    name: "Nome",
    email: "Email",
    book: "Marcar {time}",
    booking: "A marcar…",
    booked: "Marcado: {time}",
    with: "com {host}",
    your_time: "a sua hora",
    add_to_calendar: "Adicionar ao calendário",
    reschedule: "Remarcar",
    cancel: "Cancelar reunião",
    cancelled: "A reunião foi cancelada.",
    keep: "Manter",
    confirm_cancel: "Cancelar a reunião de {time}?",
    taken: "Esse horário acabou de ser ocupado. Estes estão livres:",
    unreachable: "Não foi possível contactar o calendário agora.",
    retry: "Tentar de novo",
    continue_: "Continuar",
    invalid_email: "Indique um email como nome@exemplo.com.",
    required: "Preencha este campo.",
};

pub const IT: MeetingTexts = MeetingTexts {
    your_meeting: "La tua riunione",
    days: "Scegli un giorno",
    times: "Orari di {day}",
    earlier: "Giorni precedenti",
    later: "Giorni successivi",
    name: "Nome",
    email: "Email",
    book: "Prenota {time}",
    booking: "Prenotazione…",
    booked: "Prenotato: {time}",
    with: "con {host}",
    your_time: "ora locale",
    add_to_calendar: "Aggiungi al calendario",
    reschedule: "Sposta",
    cancel: "Annulla riunione",
    cancelled: "La riunione è annullata.",
    keep: "Mantieni",
    confirm_cancel: "Annullare la riunione del {time}?",
    taken: "Quell'orario è appena stato preso. Questi sono liberi:",
    unreachable: "Il calendario non è raggiungibile ora.",
    retry: "Riprova",
    continue_: "Continua",
    invalid_email: "Inserisci un'email come nome@esempio.com.",
    required: "Compila questo campo.",
};

pub const SV: MeetingTexts = MeetingTexts {
    your_meeting: "Ditt möte",
    days: "Välj en dag",
    times: "Tider {day}",
    earlier: "Tidigare dagar",
    later: "Senare dagar",
    name: "Namn",
    email: "E-post",
    book: "Boka {time}",
    booking: "Bokar…",
    booked: "Bokat: {time}",
    with: "med {host}",
    your_time: "din tid",
    add_to_calendar: "Lägg till i kalendern",
    reschedule: "Boka om",
    cancel: "Avboka mötet",
    cancelled: "Mötet är avbokat.",
    keep: "Behåll",
    confirm_cancel: "Avboka mötet {time}?",
    taken: "Den tiden togs precis. Dessa tider är lediga:",
    unreachable: "Kalendern går inte att nå just nu.",
    retry: "Försök igen",
    continue_: "Fortsätt",
    invalid_email: "Ange en e-postadress som namn@exempel.se.",
    required: "Fyll i det här.",
};

pub const ZH_HANS: MeetingTexts = MeetingTexts {
    your_meeting: "您的会议",
    days: "选择日期",
    times: "{day}的时间",
    earlier: "更早的日期",
    later: "更晚的日期",
    name: "姓名",
    email: "邮箱",
    book: "预约 {time}",
    booking: "正在预约…",
    booked: "已预约：{time}",
    with: "与 {host}",
    your_time: "您的时间",
    add_to_calendar: "添加到日历",
    reschedule: "改期",
    cancel: "取消会议",
    cancelled: "会议已取消。",
    keep: "保留",
    confirm_cancel: "取消 {time} 的会议？",
    taken: "该时间刚被预约。以下时间可选：",
    unreachable: "暂时无法连接日历。",
    retry: "重试",
    continue_: "继续",
    invalid_email: "请输入邮箱，例如 name@example.com。",
    required: "请填写此项。",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_has_every_placeholder() {
        for t in [&EN, &PT, &IT, &SV, &ZH_HANS] {
            assert!(t.times.contains("{day}") && t.book.contains("{time}") && t.booked.contains("{time}"));
            assert!(t.with.contains("{host}") && t.confirm_cancel.contains("{time}"));
        }
        assert_eq!(texts("pt-BR").book, "Marcar {time}");
    }
}
