package dev.clara.chat.owner.pairs;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.owner.OwnerIntegrationTest;
import dev.clara.chat.search.EmbeddingUsageRepository;
import dev.clara.chat.search.TestQuestionEmbeddings;
import dev.clara.shared.embedding.EmbeddingProvider;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The owner's near-duplicate check embeds a new pair's question for the workspace: a remote
 * provider's billed tokens are recorded once as the workspace's embedding usage; the in-process
 * model of this context records nothing.
 */
class NearDuplicateUsageIntegrationTests extends OwnerIntegrationTest {

	static final String MODEL = "text-embedding-3-small";

	@Autowired
	QaPairRepository pairs;

	@Autowired
	EmbeddingUsageRepository usage;

	final AtomicInteger calls = new AtomicInteger();

	@Test
	void aRemoteProviderBillsTheCheckAndItIsRecordedOnce() {
		Owner owner = owner();
		NearDuplicates check = new NearDuplicates(TestQuestionEmbeddings.over(new BillingProvider()), this.pairs,
				this.usage);

		NearDuplicates.Probe probe = check.probe(new NearDuplicates.Target(owner.workspaceId(), MODEL),
				"Do you ship abroad?");

		assertThat(probe).isNotNull();
		assertThat(probe.vector()).hasSize(1536);
		assertThat(this.calls.get()).isEqualTo(1);
		assertThat(usageRows(owner.workspaceId())).containsExactly("embedding:openai:" + MODEL + ":7:0:7:true");
	}

	@Test
	void theInProcessModelRecordsNothing() {
		Owner owner = owner();

		Reply created = post(owner.token(), "/api/owner/qa-pairs",
				json("question", "Do you ship abroad?", "answer", "Yes, worldwide."));
		Reply edited = patch(owner.token(), "/api/owner/qa-pairs/" + created.json().get("qa_pair").get("id").asString(),
				json("question", "Do you ship to Canada?"));

		assertThat(created.status()).isEqualTo(201);
		assertThat(edited.status()).isEqualTo(200);
		assertThat(usageRows(owner.workspaceId())).isEmpty();
	}

	private List<String> usageRows(UUID workspace) {
		return this.jdbc.sql("""
				SELECT purpose || ':' || provider || ':' || model || ':' || prompt_tokens || ':' || completion_tokens
				       || ':' || total_tokens || ':' || (conversation_id IS NULL AND message_id IS NULL)
				FROM api_usage WHERE workspace_id = :ws""")
			.param("ws", workspace)
			.query(String.class)
			.list();
	}

	/** A remote model as OpenAI bills it: seven tokens per text. */
	private final class BillingProvider implements EmbeddingProvider {

		@Override
		public String modelId() {
			return MODEL;
		}

		@Override
		public int dimensions() {
			return 1536;
		}

		@Override
		public List<float[]> embedAll(List<String> texts) {
			return embedAllCounted(texts).vectors();
		}

		@Override
		public Embedded embedAllCounted(List<String> texts) {
			NearDuplicateUsageIntegrationTests.this.calls.incrementAndGet();
			List<float[]> vectors = texts.stream().map(text -> {
				float[] vector = new float[1536];
				vector[Math.floorMod(text.hashCode(), vector.length)] = 1;
				return vector;
			}).toList();
			return new Embedded(vectors, 7L * texts.size());
		}

		@Override
		public boolean billed() {
			return true;
		}

	}

}
