package dev.clara.chat.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which budgets a client address draws on. An IPv6 client normally holds a whole /64 (its
 * interface ids are its own to choose), so the /64 is one client, not one address; a network is
 * an IPv4 /24 or an IPv6 /48, the usual size of what one party is given. Used by every budget
 * kept per client (the public chat's, the owner sign-in's). Never a DNS lookup, whatever a
 * forwarded header holds.
 */
public final class AddressBuckets {

	private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

	/** With a colon, InetAddress parses an IPv6 literal and never asks the resolver. */
	private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

	private AddressBuckets() {
	}

	/** The client: an IPv4 address, or an IPv6 address's /64. */
	public static String client(String address) {
		return prefix(address, 32, 64);
	}

	/** The client's network: an IPv4 /24, or an IPv6 /48. */
	public static String network(String address) {
		return prefix(address, 24, 48);
	}

	private static String prefix(String address, int ipv4Bits, int ipv6Bits) {
		if (address == null || address.isBlank()) {
			return "unknown";
		}
		String literal = literal(address);
		byte[] bytes = parse(literal);
		if (bytes == null) {
			// not a literal (a trusted proxy forwarded something else): it is its own, bounded bucket
			return literal.length() > 64 ? literal.substring(0, 64) : literal;
		}
		int bits = bytes.length == 4 ? ipv4Bits : ipv6Bits;
		byte[] masked = Arrays.copyOf(bytes, bytes.length);
		for (int i = 0; i < masked.length; i++) {
			int keep = Math.max(0, Math.min(8, bits - i * 8));
			masked[i] &= (byte) (0xff << (8 - keep));
		}
		try {
			String text = InetAddress.getByAddress(masked).getHostAddress();
			return bits == bytes.length * 8 ? text : text + "/" + bits;
		}
		catch (UnknownHostException ex) {
			return address;
		}
	}

	/** Without white space, brackets or a zone id: {@code [fe80::1%eth0]} is {@code fe80::1}. */
	private static String literal(String address) {
		String text = address.strip();
		if (text.startsWith("[")) {
			int end = text.indexOf(']');
			text = end > 0 ? text.substring(1, end) : text.substring(1);
		}
		int zone = text.indexOf('%');
		return zone >= 0 ? text.substring(0, zone) : text;
	}

	private static byte[] parse(String address) {
		if (address == null || address.length() > 45) {
			return null;
		}
		Matcher ipv4 = IPV4.matcher(address);
		if (ipv4.matches()) {
			byte[] bytes = new byte[4];
			for (int i = 0; i < 4; i++) {
				int octet = Integer.parseInt(ipv4.group(i + 1));
				if (octet > 255) {
					return null;
				}
				bytes[i] = (byte) octet;
			}
			return bytes;
		}
		if (!IPV6.matcher(address).matches()) {
			return null;
		}
		try {
			byte[] bytes = InetAddress.getByName(address).getAddress();
			if (bytes.length == 16 && isIpv4Mapped(bytes)) {
				return Arrays.copyOfRange(bytes, 12, 16);
			}
			return bytes;
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	private static boolean isIpv4Mapped(byte[] bytes) {
		for (int i = 0; i < 10; i++) {
			if (bytes[i] != 0) {
				return false;
			}
		}
		return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
	}

}
