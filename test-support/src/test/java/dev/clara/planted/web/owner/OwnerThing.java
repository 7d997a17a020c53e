package dev.clara.planted.web.owner;

/** Planted: stands for the owner API. */
public class OwnerThing {

	public static String secret() {
		return "owner";
	}

}
