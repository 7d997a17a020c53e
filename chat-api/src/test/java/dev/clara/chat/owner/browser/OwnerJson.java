package dev.clara.chat.owner.browser;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/** JSON bodies of the tests. */
final class OwnerJson {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private OwnerJson() {
	}

	static String of(Object... keyValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			map.put((String) keyValues[i], keyValues[i + 1]);
		}
		return JSON.writeValueAsString(map);
	}

}
