package dev.clara.chat.widget;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings endpoint is public and runs with the service's privileges: its statement must name
 * one workspace and must read no settings key but the public ones.
 */
class WidgetSettingsSqlTests {

	@Test
	void theStatementIsScopedToOneWorkspaceAndReadsOnlyPublicKeys() throws IllegalAccessException {
		List<String> statements = new ArrayList<>();
		for (Field field : WidgetSettingsRepository.class.getDeclaredFields()) {
			if (field.getType() == String.class && Modifier.isStatic(field.getModifiers())) {
				field.setAccessible(true);
				statements.add((String) field.get(null));
			}
		}
		assertThat(statements).hasSize(1);
		String sql = statements.get(0);
		assertThat(sql).contains("WHERE w.id = :workspaceId");
		List<String> keysRead = new ArrayList<>();
		java.util.regex.Matcher key = java.util.regex.Pattern.compile("settings -> '([a-z_]+)'").matcher(sql);
		while (key.find()) {
			keysRead.add(key.group(1));
		}
		List<String> expected = new ArrayList<>(PublicWidgetSettings.KEYS);
		expected.add("allowed_origins");
		assertThat(keysRead).containsExactlyInAnyOrderElementsOf(expected);
		assertThat(sql).doesNotContain("settings::text", "settings AS", "personality_prompt", "api_keys");
	}

}
