package dev.clara.schema;

import java.sql.Connection;
import java.sql.SQLException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static dev.clara.schema.SchemaTestDatabase.single;
import static org.assertj.core.api.Assertions.assertThat;

/** The workspace's own threshold when it is a number, else the model's. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkspaceConfidenceThresholdIntegrationTests {

	private static final String THRESHOLD = "SELECT public.workspace_confidence_threshold(CAST(? AS jsonb), ?)";

	private SchemaTestDatabase db;

	private Connection connection;

	@BeforeAll
	void setUp() throws SQLException {
		this.db = SchemaTestDatabase.migrated("schema_confidence_threshold");
		this.connection = this.db.connect();
	}

	@AfterAll
	void tearDown() throws SQLException {
		this.connection.close();
		this.db.close();
	}

	@Test
	void aNumberInTheSettingsWins() throws SQLException {
		assertThat(threshold("{\"confidence_threshold\": 0.62}", "bge-small-en-v1.5-q")).isEqualTo(0.62);
		assertThat(threshold("{\"confidence_threshold\": 0.62}", "no-such-model")).isEqualTo(0.62);
	}

	@Test
	void otherwiseTheModelsThresholdApplies() throws SQLException {
		Object modelThreshold = single(this.connection,
				"SELECT confidence_threshold FROM embedding_models WHERE id = 'bge-small-en-v1.5-q'");
		for (String settings : new String[] { "{}", "{\"confidence_threshold\": null}",
				"{\"confidence_threshold\": \"0.62\"}", "{\"display_name\": \"Clara\"}" }) {
			assertThat(threshold(settings, "bge-small-en-v1.5-q")).as(settings).isEqualTo(modelThreshold);
		}
		assertThat(threshold("{}", "no-such-model")).isNull();
	}

	private Object threshold(String settings, String model) throws SQLException {
		return single(this.connection, THRESHOLD, settings, model);
	}

}
