package dev.clara.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * CLINC150 ("Full" variant; Larson et al., EMNLP-IJCNLP 2019, CC BY 3.0): the train and
 * validation splits, the 100 out-of-scope training utterances and the intent-to-domain map. The
 * test split is deliberately absent.
 */
record Clinc150(List<Utterance> train, List<Utterance> val, List<Utterance> oosVal, List<Utterance> oosTrain,
		Map<String, String> domainOf) {

	/** The intent of an out-of-scope utterance. */
	static final String OUT_OF_SCOPE = "oos";

	/** One labelled utterance. */
	record Utterance(String text, String intent) {

		boolean outOfScope() {
			return OUT_OF_SCOPE.equals(this.intent);
		}

	}

	static Clinc150 load(Path dir) throws IOException {
		JsonMapper json = JsonMapper.builder().build();
		JsonNode data = json.readTree(Files.readString(dir.resolve("clinc150_train_val.json")));
		JsonNode domains = json.readTree(Files.readString(dir.resolve("domains.json")));
		Map<String, String> domainOf = new TreeMap<>();
		domains.properties().forEach(domain -> domain.getValue().forEach(intent -> domainOf.put(intent.asString(), domain.getKey())));
		Clinc150 clinc = new Clinc150(section(data, "train"), section(data, "val"), section(data, "oos_val"),
				section(data, "oos_train"), domainOf);
		for (Utterance u : clinc.train()) {
			if (!domainOf.containsKey(u.intent())) {
				throw new IllegalStateException("intent " + u.intent() + " has no domain in domains.json");
			}
		}
		return clinc;
	}

	private static List<Utterance> section(JsonNode data, String key) {
		JsonNode rows = data.get(key);
		if (rows == null || !rows.isArray()) {
			throw new IllegalStateException("clinc150_train_val.json has no list '" + key + "'");
		}
		List<Utterance> utterances = new ArrayList<>(rows.size());
		rows.forEach(row -> utterances.add(new Utterance(row.get(0).asString(), row.get(1).asString())));
		return List.copyOf(utterances);
	}

}
