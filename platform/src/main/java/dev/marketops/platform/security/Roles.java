package dev.marketops.platform.security;

import java.util.List;

/** The realm roles of the platform (the identity provider's realm roles, in the token's "groups" claim). */
public final class Roles {

    public static final String OPERATOR = "operator";
    public static final String AUDITOR = "auditor";
    public static final String MERCHANT = "merchant";
    public static final String RISK_CONTROL = "risk_control";
    public static final String SUPPLIER_ADMIN = "supplier_admin";
    public static final String ADMIN = "admin";
    /** A platform service calling another (client credentials). */
    public static final String SERVICE = "service";
    /** A supplier system (client credentials, one client per supplier). */
    public static final String SUPPLIER = "supplier";

    /** People's roles, in the order the README's table lists them. */
    public static final List<String> PEOPLE = List.of(OPERATOR, AUDITOR, MERCHANT, RISK_CONTROL, SUPPLIER_ADMIN, ADMIN);

    /** Staff: everyone who works for the marketplace (sees every shop). */
    public static final List<String> STAFF = List.of(OPERATOR, AUDITOR, RISK_CONTROL, SUPPLIER_ADMIN, ADMIN);

    private Roles() {
    }
}
