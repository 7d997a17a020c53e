package dev.clara.chat.owner.auth;

import java.time.Clock;
import java.util.List;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.OwnerProperties;
import dev.clara.chat.web.ApiProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The owner API's beans: token verification and issuing, password hashing, the principal argument. */
@Configuration(proxyBeanMethods = false)
class OwnerAuthConfiguration {

	private static final Logger log = LoggerFactory.getLogger(OwnerAuthConfiguration.class);

	@Bean
	JwtVerifier ownerJwtVerifier(OwnerProperties properties) {
		OwnerProperties.Jwt jwt = properties.jwt();
		if (jwt.hasSecret() && jwt.secret().getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
			throw new IllegalStateException(
					"clara.owner.jwt.secret (CLARA_JWT_SECRET) must be at least 32 bytes for HS256");
		}
		if (!jwt.hasSecret() && !jwt.hasJwks()) {
			log.warn("Owner API: no CLARA_JWT_SECRET or CLARA_JWT_JWKS_URL: only product API keys are accepted "
					+ "and standalone sign-in is off");
		}
		return new JwtVerifier(jwt);
	}

	@Bean
	TokenIssuer ownerTokenIssuer(OwnerProperties properties) {
		return new TokenIssuer(properties.jwt(), Clock.systemUTC());
	}

	@Bean
	BCryptPasswordEncoder ownerPasswordEncoder(OwnerProperties properties) {
		return new BCryptPasswordEncoder(properties.bcryptStrength());
	}

	@Bean
	WebMvcConfigurer ownerPrincipalArgument() {
		return new WebMvcConfigurer() {
			@Override
			public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
				resolvers.add(new PrincipalResolver());
			}
		};
	}

	/** Hands controllers the principal {@link OwnerAuthFilter} authenticated. */
	static final class PrincipalResolver implements HandlerMethodArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return parameter.getParameterType() == OwnerPrincipal.class;
		}

		@Override
		public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
				WebDataBinderFactory binders) {
			Object principal = request.getAttribute(OwnerAuthFilter.PRINCIPAL, RequestAttributes.SCOPE_REQUEST);
			if (principal == null) {
				// only reachable if a handler outside /api/owner/ asks for an owner
				throw new ApiProblem(HttpStatus.UNAUTHORIZED, "Unauthorized", "Sign in first");
			}
			return principal;
		}

	}

}
