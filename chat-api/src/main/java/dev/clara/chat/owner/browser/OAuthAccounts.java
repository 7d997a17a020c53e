package dev.clara.chat.owner.browser;

import java.util.Locale;
import java.util.Optional;

import dev.clara.chat.owner.OwnerProperties;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The linking rule of outside sign-ins (docs/security.md):
 * <ol>
 * <li>an identity (issuer and subject) already linked signs in to its account, whatever address
 * the provider reports now;</li>
 * <li>otherwise, only a <b>verified</b> e-mail address is used: an account with that address gets
 * the identity linked (once; an unconfirmed account is taken over: its password and sessions stop
 * working, since whoever made it never proved the address);</li>
 * <li>otherwise a new confirmed account is made (its workspace with it, as sign-up makes one),
 * unless sign-up is turned off;</li>
 * <li>an identity without a verified address and without a link gets no account.</li>
 * </ol>
 */
@Service
class OAuthAccounts {

	/** Why no account was found or made: the owner sees {@code no_account}. */
	static final class NoAccount extends RuntimeException {

		NoAccount(String reason) {
			super(reason, null, false, false);
		}

	}

	private final IdentityRepository identities;

	private final TransactionTemplate transactions;

	private final OwnerProperties owner;

	OAuthAccounts(IdentityRepository identities, TransactionTemplate transactions, OwnerProperties owner) {
		this.identities = identities;
		this.transactions = transactions;
		this.owner = owner;
	}

	/** The account the identity signs in to. */
	IdentityRepository.Account accountFor(OAuthProvider.ExternalIdentity identity) {
		for (int attempt = 0; attempt < 3; attempt++) {
			Optional<IdentityRepository.Account> account = this.transactions.execute(status -> {
				Optional<IdentityRepository.Account> resolved = resolve(identity);
				if (resolved.isEmpty()) {
					status.setRollbackOnly(); // no half-made account without its link
				}
				return resolved;
			});
			if (account.isPresent()) {
				return account.get();
			}
			// a concurrent sign-in linked or created it meanwhile: look again
		}
		throw new NoAccount("the identity could not be linked");
	}

	private Optional<IdentityRepository.Account> resolve(OAuthProvider.ExternalIdentity identity) {
		Optional<IdentityRepository.Account> linked = this.identities.linked(identity.issuer(), identity.subject());
		if (linked.isPresent()) {
			this.identities.touch(identity.issuer(), identity.subject());
			return linked;
		}
		if (!identity.emailVerified() || identity.email() == null || identity.email().isBlank()) {
			throw new NoAccount("the provider did not vouch for an e-mail address");
		}
		String email = identity.email().strip().toLowerCase(Locale.ROOT);
		Optional<IdentityRepository.Account> existing = this.identities.accountByEmail(email);
		IdentityRepository.Account account;
		if (existing.isPresent()) {
			account = existing.get();
			if (!account.confirmed()) {
				this.identities.takeOverUnconfirmed(account.id());
			}
		}
		else {
			if (!this.owner.signupEnabled()) {
				throw new NoAccount("sign-up is off and no account has the address");
			}
			Optional<java.util.UUID> created = this.identities.createAccount(email, identity.provider());
			if (created.isEmpty()) {
				return Optional.empty();
			}
			account = new IdentityRepository.Account(created.get(), email, true);
		}
		if (!this.identities.link(account.id(), identity.provider(), identity.issuer(), identity.subject(), email)) {
			return Optional.empty();
		}
		return Optional.of(account);
	}

}
