-- V11: the chatbot-assets bucket (public: avatars and chat icons) and 004's storage policies,
-- plus UPDATE for owners. Path convention: chatbot-assets/{workspace_id}/avatar.{ext} and
-- chatbot-assets/{workspace_id}/icon.{ext}: the first folder of the object name must be a
-- workspace the signed-in user owns. On plain PostgreSQL these apply to the shim's
-- storage.objects (V1); on Supabase to Supabase Storage's.

INSERT INTO storage.buckets (id, name, public)
VALUES ('chatbot-assets', 'chatbot-assets', true)
ON CONFLICT (id) DO NOTHING;

CREATE POLICY "Users can upload chatbot assets"
  ON storage.objects FOR INSERT
  TO authenticated
  WITH CHECK (
    bucket_id = 'chatbot-assets'
    AND (storage.foldername(name))[1] IN (
      SELECT w.id::text FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())
    )
  );

CREATE POLICY "Public read chatbot assets"
  ON storage.objects FOR SELECT
  TO public
  USING (bucket_id = 'chatbot-assets');

CREATE POLICY "Users can update own chatbot assets"
  ON storage.objects FOR UPDATE
  TO authenticated
  USING (
    bucket_id = 'chatbot-assets'
    AND (storage.foldername(name))[1] IN (
      SELECT w.id::text FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())
    )
  )
  WITH CHECK (
    bucket_id = 'chatbot-assets'
    AND (storage.foldername(name))[1] IN (
      SELECT w.id::text FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())
    )
  );

CREATE POLICY "Users can delete own chatbot assets"
  ON storage.objects FOR DELETE
  TO authenticated
  USING (
    bucket_id = 'chatbot-assets'
    AND (storage.foldername(name))[1] IN (
      SELECT w.id::text FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())
    )
  );
