// Small helpers the Blazor components call through JS interop.
window.goalsDashboard = {
    isDarkMode() {
        return localStorage.getItem("gd-theme") === "dark";
    },
    setDarkMode(dark) {
        localStorage.setItem("gd-theme", dark ? "dark" : "light");
    },
    submitForm(id) {
        document.getElementById(id)?.submit();
    },
    copyText(text) {
        return navigator.clipboard.writeText(text);
    },
};
