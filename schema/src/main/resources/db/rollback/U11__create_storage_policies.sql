-- U11: undo V11. The bucket row is removed only while it holds no objects (uploaded assets are
-- never deleted by a rollback; Supabase may also refuse direct deletes from its storage tables).
DROP POLICY "Users can delete own chatbot assets" ON storage.objects;
DROP POLICY "Users can update own chatbot assets" ON storage.objects;
DROP POLICY "Public read chatbot assets" ON storage.objects;
DROP POLICY "Users can upload chatbot assets" ON storage.objects;

DO $undo$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM storage.objects WHERE bucket_id = 'chatbot-assets') THEN
    BEGIN
      DELETE FROM storage.buckets WHERE id = 'chatbot-assets';
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'bucket chatbot-assets kept: %', SQLERRM;
    END;
  ELSE
    RAISE NOTICE 'bucket chatbot-assets kept: it still holds objects';
  END IF;
END
$undo$;
