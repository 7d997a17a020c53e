package dev.clara.chat.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AddressBucketsTests {

	@Test
	void anIpv4AddressIsItsOwnClientInItsSlashTwentyFour() {
		assertThat(AddressBuckets.client("198.51.100.7")).isEqualTo("198.51.100.7");
		assertThat(AddressBuckets.network("198.51.100.7")).isEqualTo("198.51.100.0/24");
	}

	@Test
	void anIpv6ClientIsItsSlashSixtyFourInItsSlashFortyEight() {
		assertThat(AddressBuckets.client("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).isEqualTo("2001:db8:1:2:0:0:0:0/64");
		assertThat(AddressBuckets.client("2001:db8:1:2::1")).isEqualTo(AddressBuckets.client("2001:db8:1:2::ffff"));
		assertThat(AddressBuckets.client("2001:db8:1:2::1")).isNotEqualTo(AddressBuckets.client("2001:db8:1:3::1"));
		assertThat(AddressBuckets.network("2001:db8:1:2::1")).isEqualTo("2001:db8:1:0:0:0:0:0/48");
		String key = AddressBuckets.client("2001:db8:1:2::1");
		assertThat(AddressBuckets.client("2001:0DB8:0001:0002:0:0:0:1")).isEqualTo(key);
		assertThat(AddressBuckets.client("[2001:db8:1:2::ffff]")).isEqualTo(key);
		assertThat(AddressBuckets.client("2001:db8:1:2::1%eth0")).isEqualTo(key);
		assertThat(AddressBuckets.client(" 192.0.2.7 ")).isEqualTo("192.0.2.7");
	}

	@Test
	void anIpv4MappedAddressCountsAsIpv4() {
		assertThat(AddressBuckets.client("::ffff:192.0.2.77")).isEqualTo("192.0.2.77");
	}

	@Test
	void whatIsNotALiteralIsNeverResolvedAndIsItsOwnBucket() {
		// a name would make InetAddress ask DNS
		assertThat(AddressBuckets.client("localhost")).isEqualTo("localhost");
		assertThat(AddressBuckets.client("abc")).isEqualTo("abc");
		assertThat(AddressBuckets.client("999.1.1.1")).isEqualTo("999.1.1.1");
		assertThat(AddressBuckets.network("not an address")).isEqualTo("not an address");
		assertThat(AddressBuckets.client("2001:db8::1::2")).isEqualTo("2001:db8::1::2");
		assertThat(AddressBuckets.client("gggg::1")).isEqualTo("gggg::1");
		assertThat(AddressBuckets.client("x".repeat(100))).hasSize(64);
		assertThat(AddressBuckets.client(null)).isEqualTo("unknown");
		assertThat(AddressBuckets.client("")).isEqualTo("unknown");
	}

}
