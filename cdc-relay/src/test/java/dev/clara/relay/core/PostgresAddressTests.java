package dev.clara.relay.core;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PostgresAddressTests {

	@Test
	void readsHostPortDatabaseAndParameters() {
		PostgresAddress a = PostgresAddress.parse("jdbc:postgresql://db.example.supabase.co:6543/postgres?sslmode=require&foo=a%20b");
		assertThat(a).isEqualTo(new PostgresAddress("db.example.supabase.co", 6543, "postgres",
				Map.of("sslmode", "require", "foo", "a b")));
	}

	@Test
	void defaultsThePortAndTakesTheFirstHost() {
		assertThat(PostgresAddress.parse("jdbc:postgresql://h1,h2:5433/clara").host()).isEqualTo("h1");
		assertThat(PostgresAddress.parse("jdbc:postgresql://h1,h2:5433/clara").port()).isEqualTo(5432);
		assertThat(PostgresAddress.parse("jdbc:postgresql://[::1]:54329/clara"))
			.isEqualTo(new PostgresAddress("::1", 54329, "clara", Map.of()));
	}

	@Test
	void rejectsWhatIsNotAPostgresUrl() {
		assertThatIllegalArgumentException().isThrownBy(() -> PostgresAddress.parse("jdbc:mysql://h/db"));
		assertThatIllegalArgumentException().isThrownBy(() -> PostgresAddress.parse("jdbc:postgresql://h:5432/"));
	}

}
