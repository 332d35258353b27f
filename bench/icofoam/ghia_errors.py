# max |u - u_Ghia| and max |v - v_Ghia| over the 15 interior stations (Ghia, Ghia & Shin 1982, Re
# = 1000; tables from ../shared/cfd) of an icoFoam 128^2 cavity result, sampled as advect samples
# its own (apps/src/CavityCase.cpp): centre lines through the two middle cell columns (rows),
# linear in between cell centres, wall values at the ends.
import csv, os, re, sys
import numpy as np

TABLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../shared/cfd')
n = 128
text = open(sys.argv[1]).read()
body = text[text.index('internalField'):]
count = int(re.search(r'nonuniform List<vector>\s*(\d+)', body).group(1))
values = re.findall(r'\(([-0-9.eE+]+) ([-0-9.eE+]+) ([-0-9.eE+]+)\)', body)[:count]
U = np.array([[float(a), float(b)] for a, b, _ in values]).reshape(n, n, 2)  # [row j, column i, u/v]
u_line = 0.5 * (U[:, n // 2 - 1, 0] + U[:, n // 2, 0])
v_line = 0.5 * (U[n // 2 - 1, :, 1] + U[n // 2, :, 1])
def along(samples, low, high, s):
    pos = np.concatenate(([0.0], (np.arange(n) + 0.5) / n, [1.0]))
    return np.interp(s, pos, np.concatenate(([low], samples, [high])))
def table(path, col):
    rows = list(csv.DictReader(open(os.path.join(TABLES, path))))
    return np.array([[float(r[list(r)[0]]), float(r[col])] for r in rows])[1:-1]
tu = table('ghia1982_u_vertical_centerline.csv', 'u_Re1000')
tv = table('ghia1982_v_horizontal_centerline.csv', 'v_Re1000')
eu = max(abs(along(u_line, 0, 1, y) - u) for y, u in tu)
ev = max(abs(along(v_line, 0, 0, x) - v) for x, v in tv)
print(f"icoFoam: max |u - u_Ghia| {eu:.4f}, max |v - v_Ghia| {ev:.4f} over the {len(tu)} interior stations")
