-- 0010: a draft made from a voice note, an audio file or a photo keeps what Gemini heard or read
-- (its card shows it, "🎤 …" / "📷 …", in every state) and Telegram's file_id, as JSON
-- {kind, fileId, summary}. Never the file's bytes. NULL for a draft from typed text.
ALTER TABLE drafts ADD COLUMN media_json TEXT;
-- gemini_usage.step gets a third value, 'media' (Gemini Intent reading a voice note or photo); the
-- column has no CHECK, so nothing changes in the table.
