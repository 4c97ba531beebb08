//! Page furniture detection for single lines: share bars, comment widgets, "back to top", navigation, in
//! many languages, judged by shape (short, not a sentence) and interface vocabulary, never by exact lines.

use std::sync::LazyLock;

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

use super::fold::{fold_prefix, fold_text};
use crate::charclass;

/// Interface vocabulary: stems matched at word starts (after Arabic clitics), folded like the text.
/// A hit alone removes nothing; it marks a line as furniture only when the line is also short.
#[rustfmt::skip]
const VOCABULARY: &[&str] = &[
    // English
    "share", "tweet", "comment", "reply", "read more", "read also", "related", "recommended", "back to top",
    "subscribe", "sign up", "sign in", "log in", "login", "newsletter", "follow us", "advertisement", "sponsored",
    "cookie", "privacy policy", "terms of", "all rights reserved", "copyright", "print", "email", "facebook",
    "twitter", "whatsapp", "telegram", "linkedin", "pinterest", "reddit", "instagram", "youtube", "skip to",
    "next article", "previous article", "more stories", "most read", "most popular", "trending", "click here",
    "min read", "loading", "photo", "image", "video", "tags", "topics", "home", "menu", "search",
    // French
    "partager", "partage", "commentaire", "commenter", "reagir", "lire aussi", "lire la suite", "a lire",
    "sur le meme sujet", "s'abonner", "abonnez", "publicite", "connexion", "se connecter", "inscription",
    "retour en haut", "imprimer", "envoyer", "suivez-nous", "suivez nous", "tous droits reserves", "mentions legales",
    "accueil", "voir aussi",
    // Russian
    "поделиться", "комментари", "ответить", "читать также", "читайте также", "читать далее", "подписаться",
    "подпишитесь", "реклама", "войти", "регистрация", "наверх", "печать", "распечатать", "отправить",
    "все права защищены", "главная", "фото", "видео", "теги", "похожие", "популярное", "новости по теме",
    // Spanish
    "compartir", "comentario", "comentar", "responder", "leer mas", "lee tambien", "te puede interesar", "relacionad",
    "suscribete", "suscribirse", "publicidad", "iniciar sesion", "registrarse", "volver arriba", "imprimir", "enviar",
    "siguenos", "todos los derechos reservados", "inicio", "etiquetas",
    // German
    "teilen", "kommentar", "antworten", "weiterlesen", "mehr zum thema", "lesen sie auch", "auch interessant",
    "abonnieren", "anzeige", "werbung", "anmelden", "registrieren", "nach oben", "drucken", "versenden",
    "folgen sie uns", "alle rechte vorbehalten", "impressum", "datenschutz", "startseite", "schlagworte",
    // Turkish
    "paylas", "yorum", "yanitla", "cevapla", "devamini oku", "ilgili haber", "ilginizi cekebilir", "abone ol",
    "reklam", "giris yap", "uye ol", "basa don", "yukari cik", "yazdir", "gonder", "bizi takip edin",
    "tum haklari saklidir", "ana sayfa", "anasayfa", "fotograf", "etiketler", "haberin devami",
    // Persian
    "اشتراک", "نظرات", "دیدگاه", "ارسال نظر", "پاسخ", "بیشتر بخوانید", "مطالب مرتبط", "بخوانید", "عضویت", "ورود",
    "تبلیغات", "چاپ", "بازگشت به بالا", "کلیه حقوق", "صفحه اصلی", "ویدیو", "برچسب", "اخبار مرتبط",
    // Arabic
    "مشاركه", "شارك", "تعليق", "علق", "اضف", "اضافه", "اقرا ايضا", "اقرا المزيد", "المزيد", "ذات صله", "اخبار متعلقه",
    "مواضيع متعلقه", "الاكثر قراءه", "الاكثر مشاهده", "اشترك", "النشره البريديه", "اعلان", "تسجيل الدخول",
    "العوده للاعلي", "للاعلي", "اعلي الصفحه", "طباعه", "ارسال", "تابعونا", "تابعنا", "جميع الحقوق محفوظه", "الرئيسيه",
    "فيديو", "كلمات داله", "الكلمات المفتاحيه", "وسوم", "شاهد", "تويتر", "فيسبوك", "فيس بوك", "واتساب", "انستجرام",
    "يوتيوب",
    // Chinese
    "分享", "评论", "回复", "阅读更多", "相关阅读", "相关新闻", "订阅", "广告", "登录", "注册", "返回顶部", "打印", "版权所有", "首页", "责任编辑", "扫码",
    "关注我们", "微信", "微博", "点击",
];

static MATCHER: LazyLock<Option<CharwiseDoubleArrayAhoCorasick<u32>>> = LazyLock::new(|| {
    let folded: Vec<String> = VOCABULARY.iter().map(|w| fold_text(w)).collect();
    CharwiseDoubleArrayAhoCorasickBuilder::new().match_kind(MatchKind::LeftmostLongest).build(folded).ok()
});

/// Rough word count that also works for unspaced scripts (two CJK characters count as a word).
pub fn word_count(line: &str) -> usize {
    let cjk = line.chars().filter(|&c| matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}')).count();
    line.split_whitespace().filter(|w| w.chars().any(charclass::is_alphanumeric)).count() + cjk / 2
}

/// Whether the line ends like a sentence.
pub fn ends_sentence(line: &str) -> bool {
    let trimmed = line.trim_end_matches(['"', '\'', '”', '»', ')', '’', ' ']);
    trimmed.ends_with(['.', '!', '?', '؟', '。', '！', '？', '…', ':', '؛', ';'])
}

/// How many interface-vocabulary hits the line has, counted only where they start a word (Arabic and
/// Persian clitics `و ف ب ل ال` may come first).
pub fn vocabulary_hits(line: &str) -> usize {
    let Some(matcher) = MATCHER.as_ref() else { return 0 };
    let folded = fold_text(line);
    matcher.leftmost_find_iter(&folded).filter(|m| starts_word(&folded, m.start())).count()
}

fn starts_word(text: &str, start: usize) -> bool {
    let before = &text[..start];
    let word_start = before
        .rfind(|c: char| !c.is_alphanumeric())
        .map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
    let prefix = &before[word_start..];
    prefix.is_empty()
        || prefix.chars().all(|c| matches!(c, '\u{3400}'..='\u{9FFF}'))
        || matches!(prefix, "و" | "ف" | "ب" | "ل" | "ال" | "وال" | "بال" | "لل" | "فال" | "ول" | "وب")
}

/// "Read also" openers: a line starting with one is a link to another story, however long its headline.
const READ_ALSO: &[&str] = &[
    "اقرا ايضا",
    "اقرا ايضاً",
    "اقرا المزيد",
    "شاهد ايضا",
    "read also",
    "read more",
    "see also",
    "related:",
    "lire aussi",
    "a lire aussi",
    "voir aussi",
    "читайте также",
    "читать также",
    "смотрите также",
    "lea tambien",
    "lee tambien",
    "lesen sie auch",
    "mehr zum thema",
    "ayrica okuyun",
    "ilgili haber",
    "بیشتر بخوانید",
    "بخوانید",
    "相关阅读",
    "延伸阅读",
    "相关新闻",
];

/// Whether a line opens with a "read also" pointer to another story.
pub fn is_read_also(line: &str) -> bool {
    // The patterns are folded once; of the line, only as much as the longest pattern can cover (folding is per
    // char, so the prefix of the folded line is the fold of a prefix of the line).
    static FOLDED: LazyLock<(Vec<String>, usize)> = LazyLock::new(|| {
        let folded: Vec<String> = READ_ALSO.iter().map(|p| fold_text(p)).collect();
        let longest = folded.iter().map(String::len).max().unwrap_or(0);
        (folded, longest)
    });
    let (patterns, longest) = &*FOLDED;
    let folded = fold_prefix(line.trim(), *longest);
    patterns.iter().any(|p| folded.starts_with(p.as_str()))
}

/// Whether a line is page furniture rather than article text.
pub fn is_furniture(line: &str) -> bool {
    let line = line.trim();
    if line.is_empty() {
        return true;
    }
    if !line.chars().any(charclass::is_alphabetic) {
        // Counters, separators, lone dates and times are decided elsewhere; symbols alone are furniture.
        return !line.chars().any(charclass::is_numeric);
    }
    let words = word_count(line);
    if is_link_row(line) || (is_read_also(line) && !ends_sentence(line)) {
        return true;
    }
    if words > 8 || (ends_sentence(line) && words >= 6) {
        return false;
    }
    vocabulary_hits(line) > 0
}

/// Navigation rows: several short items separated by `|`, `•`, `·`, `»`, `/` or `›`.
fn is_link_row(line: &str) -> bool {
    let items: Vec<&str> = line.split(['|', '•', '·', '»', '›', '/']).map(str::trim).collect();
    items.len() >= 3 && items.iter().all(|item| word_count(item) <= 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widget_lines_in_many_languages() {
        for line in [
            "Share this story",
            "Leave a comment",
            "Back to top",
            "Partager sur Facebook",
            "Lire aussi",
            "Поделиться",
            "Читайте также",
            "Compartir en WhatsApp",
            "Lesen Sie auch",
            "Nach oben",
            "Haberi paylaş",
            "Yorum yaz",
            "بیشتر بخوانید",
            "ارسال نظر",
            "شارك الخبر",
            "أضف تعليقك",
            "العودة للأعلى",
            "分享到微信",
            "返回顶部",
            "Home | World | Sport | Culture",
            "اقرأ أيضاً: وزير الخارجية يلتقي نظيره الفرنسي في باريس لبحث الأزمة الإقليمية والتعاون الاقتصادي",
            "Read also: Ministers meet in Brussels to discuss the new budget rules for member states",
            "• • •",
        ] {
            assert!(is_furniture(line), "{line}");
        }
    }

    #[test]
    fn story_lines_are_not_furniture() {
        for line in [
            "The minister said the talks would resume next week after the holiday.",
            "Election results",
            "وقال المتحدث إن الاجتماع سيعقد في العاصمة الأسبوع المقبل لبحث الأزمة.",
            "Les négociations reprendront la semaine prochaine, selon le ministère.",
            "Переговоры продолжатся на следующей неделе, сообщил министр.",
            "Shareholders approved the merger on Tuesday after a long debate in the hall.",
            "2024",
        ] {
            assert!(!is_furniture(line), "{line}");
        }
    }

    #[test]
    fn vocabulary_matches_only_at_word_starts() {
        assert_eq!(vocabulary_hits("prints"), 1);
        assert_eq!(vocabulary_hits("blueprint"), 0);
        assert_eq!(vocabulary_hits("والتعليقات"), 1);
    }
}
