package dev.clara.chat.turn;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.clara.chat.identity.IdentityHeaders;
import dev.clara.chat.identity.IdentityVerifier;
import dev.clara.chat.identity.UserClaim;
import dev.clara.chat.identity.VerifiedUser;
import dev.clara.chat.web.ApiProblem;
import dev.clara.chat.workspace.WorkspaceSettings;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;

/** The signed-in visitor of a public request without a body: the identity headers, verified. */
@Component
class VisitorIdentity {

	private final IdentityVerifier verifier;

	VisitorIdentity(IdentityVerifier verifier) {
		this.verifier = verifier;
	}

	/** The verified user, or null for an anonymous visitor the workspace accepts; 400/403 otherwise. */
	VerifiedUser of(HttpServletRequest http, UUID workspaceId, WorkspaceSettings settings) {
		List<String> errors = new ArrayList<>();
		UserClaim claim = UserClaim.fromHeaders(http.getHeader(IdentityHeaders.USER), http.getHeader(IdentityHeaders.HASH),
				http.getHeader(IdentityHeaders.TOKEN), errors);
		if (!errors.isEmpty()) {
			throw ApiProblem.invalid(errors);
		}
		return this.verifier.verify(workspaceId, settings.identityRules(), claim);
	}

	/** The same, for requests that exist only for a signed-in user. */
	VerifiedUser required(HttpServletRequest http, UUID workspaceId, WorkspaceSettings settings) {
		VerifiedUser user = of(http, workspaceId, settings);
		if (user == null) {
			throw new ApiProblem(org.springframework.http.HttpStatus.FORBIDDEN, "Identity not verified",
					"Send the signed-in user: " + IdentityHeaders.USER + " with " + IdentityHeaders.HASH + ", or "
							+ IdentityHeaders.TOKEN);
		}
		return user;
	}

}
