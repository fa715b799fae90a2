// A live count beside each textarea that has one, counted exactly as the server counts (InputValidator.Normalize and
// LengthOf): line breaks as one "\n", trimmed of what .NET calls white space, then Unicode characters, so an emoji is
// one and not the two a browser's maxlength would count.
const space = "[\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]+";
const ends = new RegExp(`^${space}|${space}$`, "gu");

export const lengthOf = (text) => [...text.replace(/\r\n?/g, "\n").replace(ends, "")].length;

for (const counter of document.querySelectorAll("[data-counter-for]")) {
    const field = document.getElementById(counter.dataset.counterFor);
    const max = Number(field.dataset.maxLength);
    const update = () => {
        const length = lengthOf(field.value);
        const over = length - max;
        counter.textContent = over > 0 ? `${length} / ${max}: ${over} too many` : `${length} / ${max}`;
        counter.classList.toggle("over", over > 0);
    };
    field.addEventListener("input", update);
    update();
}
