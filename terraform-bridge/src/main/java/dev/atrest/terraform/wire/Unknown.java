package dev.atrest.terraform.wire;

/**
 * A value Terraform does not know yet (it depends on something not yet applied). On the wire it is a
 * msgpack extension; in decoded values it is this singleton, wherever a value of any type may stand.
 */
public enum Unknown {
    VALUE;

    public static boolean is(Object value) {
        return value == VALUE;
    }

    @Override
    public String toString() {
        return "(known after apply)";
    }
}
