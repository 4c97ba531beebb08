//! Turkish text whose Windows-1254 bytes were decoded as Windows-1252 (or Latin-1): a reading to try when fastText
//! is unsure of the text as it came.
//!
//! The two code pages agree on every byte but six, the Turkish letters ı ş ğ İ Ş Ğ, which come out as ý þ ð Ý Þ Ð.
//! Legacy Turkish pages served without a charset show exactly this, and fastText reads `yýlýnda` as Czech or
//! Icelandic. The swap is exact, so the repaired text is the original; it is only kept when fastText is sure of it
//! (Icelandic and Czech, which write ý þ ð themselves, do not become sure Turkish). Hand-written: six letters; an
//! encoding-repair crate would guess among many code pages where the stage knows the one confusion that matters.

/// The mis-decoded letters and the Turkish ones they stand for.
const SWAPS: [(char, char); 6] = [('ý', 'ı'), ('þ', 'ş'), ('ð', 'ğ'), ('Ý', 'İ'), ('Þ', 'Ş'), ('Ð', 'Ğ')];

/// The text with Windows-1254 letters restored, or `None` when it holds none of the six.
pub fn repaired(text: &str) -> Option<String> {
    let swap = |c: char| SWAPS.iter().find(|(from, _)| *from == c).map(|(_, to)| *to);
    if !text.chars().any(|c| swap(c).is_some()) {
        return None;
    }
    Some(text.chars().map(|c| swap(c).unwrap_or(c)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restores_the_six_turkish_letters() {
        assert_eq!(repaired("Ýstanbul'da yaþayan doðru kiþi").as_deref(), Some("İstanbul'da yaşayan doğru kişi"));
        assert_eq!(repaired("ÞEHÝR ÐÜNDEM").as_deref(), Some("ŞEHİR ĞÜNDEM"));
    }

    #[test]
    fn leaves_other_text_alone() {
        assert_eq!(repaired("Türkçe güzel bir dil"), None);
        assert_eq!(repaired("Le président a parlé"), None);
    }
}
