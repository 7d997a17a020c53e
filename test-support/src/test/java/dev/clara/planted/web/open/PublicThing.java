package dev.clara.planted.web.open;

import dev.clara.planted.web.owner.OwnerThing;

/** Planted: the public path reaching into the owner API. */
public class PublicThing {

	public String leak() {
		return OwnerThing.secret();
	}

}
