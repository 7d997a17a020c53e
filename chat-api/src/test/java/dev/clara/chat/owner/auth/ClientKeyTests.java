package dev.clara.chat.owner.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientKeyTests {

	@Test
	void anIpv4AddressIsItsOwnClient() {
		assertThat(ClientKey.of("192.0.2.7")).isEqualTo("192.0.2.7");
		assertThat(ClientKey.of(" 192.0.2.7 ")).isEqualTo("192.0.2.7");
	}

	@Test
	void ipv6AddressesOfOne64AreOneClient() {
		String key = ClientKey.of("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
		assertThat(key).isEqualTo("2001:db8:1:2::/64");
		assertThat(ClientKey.of("2001:0DB8:0001:0002:0:0:0:1")).isEqualTo(key);
		assertThat(ClientKey.of("2001:db8:1:2::1")).isEqualTo(key);
		assertThat(ClientKey.of("[2001:db8:1:2::ffff]")).isEqualTo(key);
		assertThat(ClientKey.of("2001:db8:1:2::1%eth0")).isEqualTo(key);
		assertThat(ClientKey.of("2001:db8:1:3::1")).isNotEqualTo(key);
	}

	@Test
	void compressedPrefixesExpand() {
		assertThat(ClientKey.of("2001:db8::1")).isEqualTo("2001:db8:0:0::/64");
		assertThat(ClientKey.of("::1")).isEqualTo("0:0:0:0::/64");
		assertThat(ClientKey.of("::")).isEqualTo("0:0:0:0::/64");
		assertThat(ClientKey.of("fe80::")).isEqualTo("fe80:0:0:0::/64");
	}

	@Test
	void anIpv4MappedAddressIsTheIpv4Client() {
		assertThat(ClientKey.of("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
		assertThat(ClientKey.of("::ffff:c000:0207")).isEqualTo("192.0.2.7");
	}

	@Test
	void whatIsNoAddressIsKeptAsItIsAndNeverLookedUp() {
		assertThat(ClientKey.of("2001:db8::1::2")).isEqualTo("2001:db8::1::2");
		assertThat(ClientKey.of("1:2:3:4:5:6:7:8:9")).isEqualTo("1:2:3:4:5:6:7:8:9");
		assertThat(ClientKey.of("gggg::1")).isEqualTo("gggg::1");
		assertThat(ClientKey.of("example.com")).isEqualTo("example.com");
		assertThat(ClientKey.of("x".repeat(100))).hasSize(64);
		assertThat(ClientKey.of(null)).isEqualTo("unknown");
		assertThat(ClientKey.of("")).isEqualTo("unknown");
	}

}
