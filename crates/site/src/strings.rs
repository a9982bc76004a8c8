//! The widget's built-in texts in every supported locale.
//!
//! The server sends a visitor's texts to the widget as lines, in field order
//! ([`Strings::lines`], read back by [`Strings::from_lines`]): the widget carries
//! only English as a fallback, and no table of languages.

use chinwag_dialogue::cards::FieldKind;
use chinwag_dialogue::fields::FieldProblem;

macro_rules! strings {
    ($($(#[$doc:meta])* $field:ident),* $(,)?) => {
        /// Every built-in text of the widget. `{n}` in `unread` is the count; where the
        /// language's words change with the number, `unread` lists a form per CLDR
        /// plural category, `one={n} oläst;other={n} olästa` (`other` is required).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct Strings {
            $($(#[$doc])* pub $field: &'static str,)*
        }

        impl Strings {
            /// The texts as lines, in field order.
            pub fn lines(&self) -> String {
                [$(self.$field),*].join("\n")
            }

            /// Texts from [`Strings::lines`]; `None` when lines are missing.
            pub fn from_lines(lines: &'static str) -> Option<Strings> {
                let mut lines = lines.split('\n');
                Some(Strings { $($field: lines.next()?,)* })
            }
        }
    };
}

strings! {
    open_chat, close_chat, chat_with, typing, send, your_answer, type_answer, submit, optional,
    continue_, start_over, conversation_ended, connecting, agent_joined, message_sent,
    type_message, chat_closed, queued, you, sending, delivered, opens_new_tab, unread,
    first_name, last_name, email, phone, company, job_title, answer,
    required, invalid_email, invalid_phone, too_long,
    your_conversation, download, delete, delete_confirm, part_failed, try_again,
    rate_prompt, rate_score, rate_comment, rate_thanks,
    /// Under the header, within the site's business hours (the server blanks it outside).
    reply_soon,
    /// Under the header, outside the site's business hours (the server blanks it within).
    reply_away,
    email_transcript, transcript_sent,
    /// The live chat's button for sending a file.
    attach,
    /// `{name}`: the file; `{why}`: the server's reason (in English).
    file_not_sent,
    /// `{name}`: the file, over the 10 MB limit.
    file_too_big,
}

pub const EN: Strings = Strings {
    open_chat: "Open chat",
    close_chat: "Close chat",
    chat_with: "Chat with",
    typing: "is typing…",
    send: "Send",
    your_answer: "Your answer",
    type_answer: "Type your answer…",
    submit: "Send",
    optional: "(optional)",
    continue_: "Continue",
    start_over: "Start over",
    conversation_ended: "This conversation has ended.",
    connecting: "Connecting you to a human…",
    agent_joined: "joined the chat",
    message_sent: "Message sent",
    type_message: "Type a message…",
    chat_closed: "The chat was closed. Write here to open it again.",
    queued: "Everyone is busy right now. You are in the queue: someone will join here shortly.",
    you: "You",
    sending: "Sending…",
    delivered: "Delivered",
    opens_new_tab: "(opens in a new tab)",
    unread: "{n} unread",
    first_name: "First name",
    last_name: "Last name",
    email: "Email",
    phone: "Phone",
    company: "Company",
    job_title: "Job title",
    answer: "Answer",
    required: "Please fill this in.",
    invalid_email: "Please enter a valid email address, like name@example.com.",
    invalid_phone: "Please enter a valid phone number, like +44 20 7946 0958.",
    too_long: "This is too long.",
    your_conversation: "Your conversation",
    download: "Download",
    delete: "Delete",
    delete_confirm: "Delete for good?",
    part_failed: "This part of the chat could not load. Check your connection.",
    try_again: "Try again",
    rate_prompt: "How was this chat?",
    rate_score: "{n} out of 5",
    rate_comment: "Anything to add?",
    rate_thanks: "Thank you for rating this chat.",
    reply_soon: "We usually reply in a few minutes",
    reply_away: "We are away right now. Leave a message: we will answer here when we are back.",
    email_transcript: "Email it to me",
    transcript_sent: "We are emailing this conversation to {email}.",
    attach: "Attach a file",
    file_not_sent: "{name} was not sent: {why}",
    file_too_big: "{name} is larger than 10 MB.",
};

pub const PT: Strings = Strings {
    open_chat: "Abrir chat",
    close_chat: "Fechar chat",
    chat_with: "Conversar com",
    typing: "está a escrever…",
    send: "Enviar",
    your_answer: "A sua resposta",
    type_answer: "Escreva a sua resposta…",
    submit: "Enviar",
    optional: "(opcional)",
    continue_: "Continuar",
    start_over: "Recomeçar",
    conversation_ended: "Esta conversa terminou.",
    connecting: "A ligá-lo a uma pessoa…",
    agent_joined: "entrou no chat",
    message_sent: "Mensagem enviada",
    type_message: "Escreva uma mensagem…",
    chat_closed: "O chat foi encerrado. Escreva aqui para reabri-lo.",
    queued: "Estão todos ocupados neste momento. Está na fila: alguém vai juntar-se aqui em breve.",
    you: "Você",
    sending: "A enviar…",
    delivered: "Entregue",
    opens_new_tab: "(abre num novo separador)",
    unread: "{n} por ler",
    first_name: "Nome",
    last_name: "Apelido",
    email: "Email",
    phone: "Telefone",
    company: "Empresa",
    job_title: "Cargo",
    answer: "Resposta",
    required: "Preencha este campo.",
    invalid_email: "Introduza um email válido, como nome@exemplo.com.",
    invalid_phone: "Introduza um número de telefone válido, como +351 21 123 4567.",
    too_long: "Este texto é demasiado longo.",
    your_conversation: "A sua conversa",
    download: "Transferir",
    delete: "Apagar",
    delete_confirm: "Apagar de vez?",
    part_failed: "Esta parte do chat não carregou. Verifique a sua ligação.",
    try_again: "Tentar de novo",
    rate_prompt: "Como correu este chat?",
    rate_score: "{n} em 5",
    rate_comment: "Quer acrescentar algo?",
    rate_thanks: "Obrigado por avaliar este chat.",
    reply_soon: "Costumamos responder em poucos minutos",
    reply_away: "Estamos ausentes neste momento. Deixe uma mensagem: respondemos aqui quando voltarmos.",
    email_transcript: "Enviar-me por email",
    transcript_sent: "Estamos a enviar esta conversa para {email}.",
    attach: "Anexar um ficheiro",
    file_not_sent: "{name} não foi enviado: {why}",
    file_too_big: "{name} tem mais de 10 MB.",
};

pub const IT: Strings = Strings {
    open_chat: "Apri la chat",
    close_chat: "Chiudi la chat",
    chat_with: "Chatta con",
    typing: "sta scrivendo…",
    send: "Invia",
    your_answer: "La tua risposta",
    type_answer: "Scrivi la tua risposta…",
    submit: "Invia",
    optional: "(facoltativo)",
    continue_: "Continua",
    start_over: "Ricomincia",
    conversation_ended: "Questa conversazione è terminata.",
    connecting: "Ti stiamo mettendo in contatto con una persona…",
    agent_joined: "è entrato nella chat",
    message_sent: "Messaggio inviato",
    type_message: "Scrivi un messaggio…",
    chat_closed: "La chat è stata chiusa. Scrivi qui per riaprirla.",
    queued: "Sono tutti occupati in questo momento. Sei in coda: qualcuno ti risponderà qui a breve.",
    you: "Tu",
    sending: "Invio in corso…",
    delivered: "Consegnato",
    opens_new_tab: "(si apre in una nuova scheda)",
    unread: "one={n} non letto;other={n} non letti",
    first_name: "Nome",
    last_name: "Cognome",
    email: "Email",
    phone: "Telefono",
    company: "Azienda",
    job_title: "Ruolo",
    answer: "Risposta",
    required: "Compila questo campo.",
    invalid_email: "Inserisci un indirizzo email valido, come nome@esempio.it.",
    invalid_phone: "Inserisci un numero di telefono valido, come +39 06 1234 5678.",
    too_long: "Il testo è troppo lungo.",
    your_conversation: "La tua conversazione",
    download: "Scarica",
    delete: "Elimina",
    delete_confirm: "Eliminare per sempre?",
    part_failed: "Questa parte della chat non si è caricata. Controlla la connessione.",
    try_again: "Riprova",
    rate_prompt: "Com'è andata questa chat?",
    rate_score: "{n} su 5",
    rate_comment: "Vuoi aggiungere qualcosa?",
    rate_thanks: "Grazie per aver valutato questa chat.",
    reply_soon: "Di solito rispondiamo in pochi minuti",
    reply_away: "Al momento siamo assenti. Lascia un messaggio: ti risponderemo qui al nostro rientro.",
    email_transcript: "Inviamela via email",
    transcript_sent: "Stiamo inviando questa conversazione a {email}.",
    attach: "Allega un file",
    file_not_sent: "{name} non è stato inviato: {why}",
    file_too_big: "{name} supera i 10 MB.",
};

pub const SV: Strings = Strings {
    open_chat: "Öppna chatten",
    close_chat: "Stäng chatten",
    chat_with: "Chatta med",
    typing: "skriver…",
    send: "Skicka",
    your_answer: "Ditt svar",
    type_answer: "Skriv ditt svar…",
    submit: "Skicka",
    optional: "(valfritt)",
    continue_: "Fortsätt",
    start_over: "Börja om",
    conversation_ended: "Konversationen är avslutad.",
    connecting: "Vi kopplar dig till en person…",
    agent_joined: "anslöt till chatten",
    message_sent: "Meddelandet har skickats",
    type_message: "Skriv ett meddelande…",
    chat_closed: "Chatten stängdes. Skriv här för att öppna den igen.",
    queued: "Alla är upptagna just nu. Du står i kö: någon ansluter här snart.",
    you: "Du",
    sending: "Skickar…",
    delivered: "Levererat",
    opens_new_tab: "(öppnas i en ny flik)",
    unread: "one={n} oläst;other={n} olästa",
    first_name: "Förnamn",
    last_name: "Efternamn",
    email: "E-post",
    phone: "Telefon",
    company: "Företag",
    job_title: "Befattning",
    answer: "Svar",
    required: "Fyll i det här fältet.",
    invalid_email: "Ange en giltig e-postadress, till exempel namn@exempel.se.",
    invalid_phone: "Ange ett giltigt telefonnummer, till exempel +46 8 123 456 78.",
    too_long: "Texten är för lång.",
    your_conversation: "Din konversation",
    download: "Ladda ner",
    delete: "Radera",
    delete_confirm: "Radera för gott?",
    part_failed: "Den här delen av chatten kunde inte laddas. Kontrollera din anslutning.",
    try_again: "Försök igen",
    rate_prompt: "Hur var chatten?",
    rate_score: "{n} av 5",
    rate_comment: "Något att tillägga?",
    rate_thanks: "Tack för att du betygsatte chatten.",
    reply_soon: "Vi svarar oftast inom några minuter",
    reply_away: "Vi är inte på plats just nu. Lämna ett meddelande: vi svarar här när vi är tillbaka.",
    email_transcript: "Mejla den till mig",
    transcript_sent: "Vi mejlar den här konversationen till {email}.",
    attach: "Bifoga en fil",
    file_not_sent: "{name} skickades inte: {why}",
    file_too_big: "{name} är större än 10 MB.",
};

pub const ZH_HANS: Strings = Strings {
    open_chat: "打开聊天",
    close_chat: "关闭聊天",
    chat_with: "聊天对象：",
    typing: "正在输入…",
    send: "发送",
    your_answer: "你的回答",
    type_answer: "输入你的回答…",
    submit: "发送",
    optional: "（可选）",
    continue_: "继续",
    start_over: "重新开始",
    conversation_ended: "本次对话已结束。",
    connecting: "正在为你转接人工客服…",
    agent_joined: "已加入聊天",
    message_sent: "消息已发送",
    type_message: "输入消息…",
    chat_closed: "聊天已关闭。在此留言即可重新开启。",
    queued: "目前所有人都在忙。您已在排队，很快会有人在此回复您。",
    you: "你",
    sending: "发送中…",
    delivered: "已送达",
    opens_new_tab: "（在新标签页中打开）",
    unread: "{n} 条未读",
    first_name: "名字",
    last_name: "姓氏",
    email: "电子邮箱",
    phone: "电话",
    company: "公司",
    job_title: "职位",
    answer: "回答",
    required: "请填写此项。",
    invalid_email: "请输入有效的电子邮箱地址，例如 name@example.com。",
    invalid_phone: "请输入有效的电话号码，例如 +86 10 1234 5678。",
    too_long: "内容过长。",
    your_conversation: "你的对话",
    download: "下载",
    delete: "删除",
    delete_confirm: "永久删除？",
    part_failed: "聊天的这一部分无法加载。请检查网络连接。",
    try_again: "重试",
    rate_prompt: "这次聊天体验如何？",
    rate_score: "{n} 分（满分 5 分）",
    rate_comment: "还有什么想补充的吗？",
    rate_thanks: "感谢您的评价。",
    reply_soon: "我们通常在几分钟内回复",
    reply_away: "我们现在不在。请留言：我们回来后会在这里回复。",
    email_transcript: "通过电子邮件发给我",
    transcript_sent: "我们正在将此对话发送至 {email}。",
    attach: "附加文件",
    file_not_sent: "{name} 未发送：{why}",
    file_too_big: "{name} 超过 10 MB。",
};

impl Strings {
    /// The texts of a locale from [`crate::locale::SUPPORTED`]; English otherwise.
    pub fn for_locale(locale: &str) -> &'static Strings {
        crate::locale::pick(locale, [&EN, &PT, &IT, &SV, &ZH_HANS])
    }

    pub fn field_label(&self, kind: FieldKind) -> &'static str {
        match kind {
            FieldKind::FirstName => self.first_name,
            FieldKind::LastName => self.last_name,
            FieldKind::Email => self.email,
            FieldKind::Phone => self.phone,
            FieldKind::Company => self.company,
            FieldKind::JobTitle => self.job_title,
            FieldKind::Custom => self.answer,
        }
    }

    pub fn field_problem(&self, problem: FieldProblem) -> &'static str {
        match problem {
            FieldProblem::Required => self.required,
            FieldProblem::InvalidEmail => self.invalid_email,
            FieldProblem::InvalidPhone => self.invalid_phone,
            FieldProblem::TooLong => self.too_long,
        }
    }

    /// "3 unread", in this locale. `category` is the CLDR plural category of `n` in
    /// the visitor's locale (`one`, `few`, `other`, ...: the widget asks the browser's
    /// `Intl.PluralRules`); a category the text has no form for takes `other`.
    pub fn unread_count(&self, n: usize, category: &str) -> String {
        let forms = || self.unread.split(';').filter_map(|f| f.split_once('='));
        let form = forms()
            .find(|(c, _)| *c == category)
            .or_else(|| forms().find(|(c, _)| *c == "other"))
            .map_or(self.unread, |(_, text)| text);
        form.replace("{n}", &n.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::SUPPORTED;

    #[test]
    fn lines_round_trip_in_every_locale() {
        for locale in SUPPORTED {
            let strings = Strings::for_locale(locale);
            let lines: &'static str = Box::leak(strings.lines().into_boxed_str());
            assert_eq!(Strings::from_lines(lines).as_ref(), Some(strings), "{locale}");
        }
    }

    #[test]
    fn every_locale_is_translated_and_has_the_count() {
        for locale in SUPPORTED.into_iter().filter(|l| *l != "en") {
            let strings = Strings::for_locale(locale);
            assert_ne!(strings.open_chat, EN.open_chat, "{locale}");
            assert!(strings.unread.contains("{n}"), "{locale}");
            assert!(!strings.lines().split('\n').any(str::is_empty), "{locale}");
        }
        assert_eq!(Strings::for_locale("sv-FI").unread_count(3, "other"), "3 olästa");
    }

    #[test]
    fn counts_take_the_plural_form_of_their_category() {
        let text = |locale: &str, n, category| Strings::for_locale(locale).unread_count(n, category);
        assert_eq!(text("sv", 1, "one"), "1 oläst");
        assert_eq!(text("sv", 2, "other"), "2 olästa");
        assert_eq!(text("it", 1, "one"), "1 non letto");
        assert_eq!(text("it", 5, "other"), "5 non letti");
        // One form for every number, and categories a text has no form for.
        assert_eq!(text("en", 1, "one"), "1 unread");
        assert_eq!(text("zh-Hans", 1, "other"), "1 条未读");
        assert_eq!(text("sv", 1_000_000, "many"), "1000000 olästa");
        for locale in SUPPORTED {
            let unread = Strings::for_locale(locale).unread;
            assert!(
                !unread.contains('=') || unread.contains("other="),
                "{locale} has an `other` form"
            );
        }
    }

    #[test]
    fn missing_lines_are_refused() {
        assert_eq!(Strings::from_lines("Open chat\nClose chat"), None);
    }
}
