package dev.clara.chat.owner.auth;

import java.util.Locale;

/**
 * The key one client is throttled under. An IPv4 address is one client; an IPv6 address is
 * counted by its /64 prefix, because one subscriber is routinely given a whole /64 and could
 * otherwise take a fresh address for every attempt. Pure string work: never a DNS lookup, whatever
 * a forwarded header holds.
 */
final class ClientKey {

	private ClientKey() {
	}

	static String of(String address) {
		if (address == null || address.isBlank()) {
			return "unknown";
		}
		String text = address.strip();
		if (text.startsWith("[")) {
			int end = text.indexOf(']');
			text = end > 0 ? text.substring(1, end) : text.substring(1);
		}
		int zone = text.indexOf('%');
		if (zone >= 0) {
			text = text.substring(0, zone);
		}
		if (text.indexOf(':') < 0) {
			return text.length() > 64 ? text.substring(0, 64) : text;
		}
		int[] groups = ipv6(text.toLowerCase(Locale.ROOT));
		if (groups == null) {
			return text.length() > 64 ? text.substring(0, 64) : text;
		}
		if (groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
				&& groups[5] == 0xffff) {
			// an IPv4-mapped address is the IPv4 client
			return (groups[6] >> 8) + "." + (groups[6] & 0xff) + "." + (groups[7] >> 8) + "." + (groups[7] & 0xff);
		}
		return String.format("%x:%x:%x:%x::/64", groups[0], groups[1], groups[2], groups[3]);
	}

	/** The eight 16-bit groups, or null when the text is no IPv6 address. */
	private static int[] ipv6(String text) {
		int doubleColon = text.indexOf("::");
		if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
			return null;
		}
		String head = doubleColon >= 0 ? text.substring(0, doubleColon) : text;
		String tail = doubleColon >= 0 ? text.substring(doubleColon + 2) : "";
		int[] front = groups(head);
		int[] back = groups(tail);
		if (front == null || back == null) {
			return null;
		}
		int total = front.length + back.length;
		if ((doubleColon < 0 && total != 8) || (doubleColon >= 0 && total > 7)) {
			return null;
		}
		int[] all = new int[8];
		System.arraycopy(front, 0, all, 0, front.length);
		System.arraycopy(back, 0, all, 8 - back.length, back.length);
		return all;
	}

	private static int[] groups(String part) {
		if (part.isEmpty()) {
			return new int[0];
		}
		String[] pieces = part.split(":", -1);
		int last = pieces.length - 1;
		boolean dotted = pieces[last].indexOf('.') >= 0;
		int[] out = new int[pieces.length + (dotted ? 1 : 0)];
		for (int i = 0; i < pieces.length; i++) {
			String piece = pieces[i];
			if (dotted && i == last) {
				int[] v4 = ipv4(piece);
				if (v4 == null) {
					return null;
				}
				out[i] = v4[0];
				out[i + 1] = v4[1];
				continue;
			}
			if (piece.isEmpty() || piece.length() > 4) {
				return null;
			}
			try {
				out[i] = Integer.parseInt(piece, 16);
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		return out;
	}

	/** A dotted IPv4 tail as two 16-bit groups. */
	private static int[] ipv4(String text) {
		String[] octets = text.split("\\.", -1);
		if (octets.length != 4) {
			return null;
		}
		int[] bytes = new int[4];
		for (int i = 0; i < 4; i++) {
			if (octets[i].isEmpty() || octets[i].length() > 3 || !octets[i].chars().allMatch(Character::isDigit)) {
				return null;
			}
			bytes[i] = Integer.parseInt(octets[i]);
			if (bytes[i] > 255) {
				return null;
			}
		}
		return new int[] { (bytes[0] << 8) | bytes[1], (bytes[2] << 8) | bytes[3] };
	}

}
