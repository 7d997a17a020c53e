-- Development seed: a demo owner and workspace with a dozen Q&A pairs of a fictional SaaS
-- ("Brightdesk", a help desk for small teams). Idempotent: run it as often as you like
-- (Migrations.seedDemo / `schema seed-demo`); existing rows are kept, the demo settings re-applied.
-- Embeddings are left null: the embedding worker fills them.
--
-- Demo login: demo@clara.local / clara-demo (bcrypt hash via pgcrypto).
-- On a Supabase project, create the user through Supabase Auth instead; the rest applies as is.

DO $seed$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pgcrypto') THEN
    CREATE EXTENSION pgcrypto WITH SCHEMA extensions;
  END IF;
END
$seed$;

SET LOCAL search_path = public, extensions, pg_catalog;

INSERT INTO auth.users (id, instance_id, aud, role, email, encrypted_password, email_confirmed_at,
                        raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
VALUES ('00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-000000000000',
        'authenticated', 'authenticated', 'demo@clara.local', crypt('clara-demo', gen_salt('bf')), now(),
        '{"provider": "email", "providers": ["email"]}'::jsonb,
        '{"display_name": "Demo Owner", "full_name": "Demo Owner"}'::jsonb,
        now(), now())
ON CONFLICT (id) DO NOTHING;

-- The sign-up trigger gave the owner a workspace with a random id; the demo uses a fixed one.
INSERT INTO public.workspaces (id, owner_id)
VALUES ('00000000-0000-0000-0000-00000000c1a4', '00000000-0000-0000-0000-0000000000d1')
ON CONFLICT DO NOTHING;
UPDATE public.workspaces
   SET id = '00000000-0000-0000-0000-00000000c1a4'
 WHERE owner_id = '00000000-0000-0000-0000-0000000000d1'
   AND id <> '00000000-0000-0000-0000-00000000c1a4';

UPDATE public.workspaces
   SET name = 'Brightdesk',
       settings = settings || jsonb_build_object(
         'display_name', 'Clara',
         'welcome_message', 'Hi! I''m Clara, Brightdesk''s assistant. Ask me about plans, integrations or getting started.',
         'booking_url', 'https://cal.example.com/brightdesk/demo-call',
         'suggested_messages', jsonb_build_array(
           'How much does Brightdesk cost?',
           'Which integrations do you support?',
           'Can I import tickets from Zendesk?'),
         'personality_prompt',
           E'### Business Context\nBrightdesk is a help desk and shared inbox for support teams of 2 to 50 agents: email, chat and social tickets in one place, with automations, reports and integrations. Our customers are small and mid-sized online businesses.\n\n'
           || E'### Role\nYou are Clara, a friendly and knowledgeable virtual assistant. Your primary role is to answer questions accurately using the knowledge base provided. Be conversational, helpful, and professional.\n\n'
           || E'### Constraints\n1. Only answer from the knowledge base context provided.\n2. If you don''t have enough information, be honest and suggest booking a call.\n3. Never make up information or speculate beyond what the knowledge base contains.\n4. Keep responses concise — 2-4 sentences for simple questions.'
       )
 WHERE id = '00000000-0000-0000-0000-00000000c1a4';

INSERT INTO public.qa_pairs (id, workspace_id, question, answer, category, source)
VALUES
  ('00000000-0000-0000-0001-000000000001', '00000000-0000-0000-0000-00000000c1a4',
   'How much does Brightdesk cost?',
   'Brightdesk has three plans: Starter at $19, Growth at $39 and Scale at $79 per agent per month. Annual billing saves 20%, and every plan includes unlimited customers and tickets.',
   'pricing', 'manual'),
  ('00000000-0000-0000-0001-000000000002', '00000000-0000-0000-0000-00000000c1a4',
   'Is there a free trial?',
   'Yes. Every new workspace gets a 14-day free trial of the Growth plan, no credit card required. When the trial ends you choose a plan, or the workspace becomes read-only until you do.',
   'pricing', 'manual'),
  ('00000000-0000-0000-0001-000000000003', '00000000-0000-0000-0000-00000000c1a4',
   'What is your refund policy?',
   'Monthly plans can be cancelled at any time and are not charged again; the current month is not prorated. Annual plans are refunded in full within 30 days of purchase.',
   'retention', 'manual'),
  ('00000000-0000-0000-0001-000000000004', '00000000-0000-0000-0000-00000000c1a4',
   'How do I cancel my subscription?',
   'Go to Settings → Billing → Cancel subscription. Your workspace stays active until the end of the paid period, and you can export all tickets as CSV or JSON before it closes.',
   'retention', 'manual'),
  ('00000000-0000-0000-0001-000000000005', '00000000-0000-0000-0000-00000000c1a4',
   'Do you have an API?',
   'Yes: a REST API (JSON over HTTPS) for tickets, customers, tags and reports, plus webhooks for ticket events. Create API keys under Settings → Developers; the limit is 600 requests per minute per workspace.',
   'developers', 'manual'),
  ('00000000-0000-0000-0001-000000000006', '00000000-0000-0000-0000-00000000c1a4',
   'Which integrations do you support?',
   'Brightdesk integrates natively with Slack, Microsoft Teams, Shopify, Stripe, HubSpot, Salesforce, Jira and Zapier. Email channels work with any provider through forwarding or IMAP.',
   'developers', 'manual'),
  ('00000000-0000-0000-0001-000000000007', '00000000-0000-0000-0000-00000000c1a4',
   'Is my data secure?',
   'Data is encrypted in transit (TLS 1.2+) and at rest (AES-256), hosted in the EU (Frankfurt) or US (Virginia) region you choose. We are SOC 2 Type II audited, and the Scale plan adds SAML single sign-on and audit logs.',
   'general', 'manual'),
  ('00000000-0000-0000-0001-000000000008', '00000000-0000-0000-0000-00000000c1a4',
   'Are you GDPR compliant?',
   'Yes. We sign a Data Processing Agreement with every customer, keep EU workspaces in the EU, and let you export or delete any customer''s data from their profile.',
   'general', 'manual'),
  ('00000000-0000-0000-0001-000000000009', '00000000-0000-0000-0000-00000000c1a4',
   'How long does onboarding take?',
   'Most teams are live within a day: connect your support email, invite your agents and import existing tickets. Growth and Scale plans include a free 45-minute onboarding call with our team.',
   'process', 'manual'),
  ('00000000-0000-0000-0001-000000000010', '00000000-0000-0000-0000-00000000c1a4',
   'Can I import tickets from Zendesk?',
   'Yes. The importer under Settings → Import brings over tickets, customers, tags and attachments from Zendesk, Freshdesk and Help Scout. Imports of up to 100,000 tickets usually finish within an hour.',
   'process', 'manual'),
  ('00000000-0000-0000-0001-000000000011', '00000000-0000-0000-0000-00000000c1a4',
   'How is Brightdesk different from Zendesk?',
   'Brightdesk is built for teams of 2 to 50 agents: setup takes minutes, every plan has all features except SSO and audit logs, and pricing is per agent with no add-ons. Zendesk offers deeper enterprise customization at a higher price.',
   'comparisons', 'manual'),
  ('00000000-0000-0000-0001-000000000012', '00000000-0000-0000-0000-00000000c1a4',
   'Do you have customer success stories?',
   'Yes. Nordbike cut its first-response time from 9 hours to 40 minutes in three months, and Pixel & Co handles three times the ticket volume with the same four-person team. Read them at brightdesk.example/customers.',
   'case_studies', 'manual'),
  ('00000000-0000-0000-0001-000000000013', '00000000-0000-0000-0000-00000000c1a4',
   'What are your support hours?',
   'Our support team answers chat and email 24 hours a day, Monday to Friday, with a median first response under one hour. Scale customers also get a named account manager.',
   'general', 'manual')
ON CONFLICT (id) DO NOTHING;
